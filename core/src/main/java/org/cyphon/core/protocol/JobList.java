package org.cyphon.core.protocol;

import java.util.List;

public record JobList(List<JobView> jobs) {}

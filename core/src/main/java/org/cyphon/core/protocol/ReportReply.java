package org.cyphon.core.protocol;

import java.util.List;

public record ReportReply(List<ReportResult> results) {}

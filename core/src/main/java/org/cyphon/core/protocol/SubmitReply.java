package org.cyphon.core.protocol;

import java.util.List;

/** Reply to a submit: the new jobs' ids, in index order. Sent only after the jobs are committed. */
public record SubmitReply(List<Long> ids) {}

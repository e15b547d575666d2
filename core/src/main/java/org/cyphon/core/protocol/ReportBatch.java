package org.cyphon.core.protocol;

import java.util.List;

/** Several attempt reports in one call ({@code POST /api/v1/agents/{machine}/reports}). */
public record ReportBatch(List<AttemptReport> reports) {}

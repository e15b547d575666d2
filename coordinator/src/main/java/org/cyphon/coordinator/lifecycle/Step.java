package org.cyphon.coordinator.lifecycle;

import java.util.List;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.JobStatus;

/** A job's next status and the history entries that record how it got there. */
public record Step(JobStatus status, List<EventRow> events) {}

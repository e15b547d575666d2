package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * A listing ({@code GET /jobs}): the newest {@code limit} jobs matching the filter, oldest first.
 *
 * @param matching when the listing was cut at its limit, how many jobs match the filter in all, by
 *                 state wire name (so a client can say how many it did not show); null when every
 *                 matching job is listed
 */
public record JobList(List<JobView> jobs, Map<String, Long> matching) {
    public JobList(List<JobView> jobs) {
        this(jobs, null);
    }
}

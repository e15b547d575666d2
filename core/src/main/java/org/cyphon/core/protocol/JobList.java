package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * A listing ({@code GET /jobs}): the newest {@code limit} jobs matching the filter, oldest first.
 *
 * @param matching when the listing was cut at its limit, how many jobs match the filter in all, by
 *                 state wire name (so a client can say how many it did not show); null when every
 *                 matching job is listed
 * @param matchingCap  when a state's count in {@code matching} stopped at this number (the
 *                     coordinator counts each state up to it): that state has at least this many;
 *                     null when every count is exact
 */
public record JobList(List<JobView> jobs, Map<String, Long> matching, Long matchingCap) {
    public JobList(List<JobView> jobs) {
        this(jobs, null, null);
    }

    public JobList(List<JobView> jobs, Map<String, Long> matching) {
        this(jobs, matching, null);
    }
}

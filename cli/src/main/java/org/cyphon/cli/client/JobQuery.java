package org.cyphon.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.job.JobState;

/**
 * The filters of {@code GET /jobs}; every one is optional (null or empty = no filter).
 *
 * @param states  jobs in any of these states
 * @param owner   jobs of this user
 * @param name    jobs with this name
 * @param machine jobs on this machine
 * @param limit   at most this many (the coordinator's default when null)
 */
public record JobQuery(List<JobState> states, String owner, String name, String machine, Integer limit) {

    /** Every job the coordinator will list. */
    public static JobQuery everything() {
        return new JobQuery(List.of(), null, null, null, null);
    }

    /** The query string, starting with '?' when there is any filter. */
    String toQueryString() {
        List<String> params = new ArrayList<>();
        if (states != null && !states.isEmpty()) {
            params.add("state="
                    + String.join(",", states.stream().map(JobState::wireName).toList()));
        }
        if (owner != null) params.add("owner=" + encode(owner));
        if (name != null) params.add("name=" + encode(name));
        if (machine != null) params.add("machine=" + encode(machine));
        if (limit != null) params.add("limit=" + limit);
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

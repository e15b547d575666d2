package org.cyphon.core.protocol;

import java.util.List;

/**
 * {@code POST /api/v1/machines/{name}/wake}: the magic packets sent ({@code 52:54:00:12:34:56 to
 * 10.1.2.255:9}), and the desk's state when they left (a desk already awake is sent them anyway).
 */
public record WakeReply(String machine, String state, List<String> sent) {
    public WakeReply {
        sent = sent == null ? List.of() : List.copyOf(sent);
    }
}

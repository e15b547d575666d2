package org.cyphon.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile requests of {@link HostileRequestsTest}: request {@code i} of a seed is always the
 * same bytes (its own {@link Random}, seeded from both), so a failure can be replayed alone. Each
 * aims at one route of the server (its path parameters filled with real or hostile values) and
 * spoils some of: the method, the path segments, the query, the token, the body, its declared length.
 */
final class HostileRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    /** What exists on the server: tokens by holder (admin, alice, bob, agent, enroll), a job, a live attempt, a machine. */
    record Targets(Map<String, String> tokens, long job, long fencingToken, String machine) {}

    /**
     * @param stall the body declared is longer than what is sent, and the connection then stays
     *              open and silent: only the server's body timeout ends it
     * @param mayGoUnanswered the request is broken at the HTTP level (a stall, a malformed request
     *              line or header): the server may close without a reply
     */
    record Request(String route, byte[] bytes, boolean stall, boolean mayGoUnanswered, String what) {
        String describe() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            text = text.length() > 400 ? text.substring(0, 400) + "... (" + bytes.length + " bytes)" : text;
            return route + " [" + what + "]: " + text.replace("\r\n", "\\r\\n ");
        }
    }

    private static final String[] HOSTILE_TEXT = {
        "a".repeat(129),
        "b".repeat(1000),
        "c".repeat(6000),
        "\u0000",
        "x\u0000y",
        "\u0001\u001f\u007f",
        "line\nbreak",
        "\r\n",
        "é",
        "日本語の名前",
        "😀".repeat(80),
        "\u202Eevil",
        "\uFEFF",
        "..",
        "../../etc/passwd",
        "%",
        "%00",
        "/",
        "\\",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/x}",
        " ",
        "",
        "-1",
        "0",
        "1.5",
        "1e9",
        "NaN",
        "+5",
        "0x10",
        "99999999999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "2147483648",
        "null",
        "true",
        "{}",
    };

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"
    };
    private static final String[] QUERY_NAMES = {
        "waitMs", "limit", "offset", "attempt", "stream", "state", "owner", "name", "machine", "since", "force", "undo",
        "zzz"
    };
    private static final String[] ACTIONS = {
        "start", "stop", "pause", "resume", "save", "restore", "reimage", "screenshot", "poweroff", "status"
    };

    private final long seed;
    private final List<String> routes;
    private final Targets targets;

    HostileRequests(long seed, List<String> routes, Targets targets) {
        this.seed = seed;
        this.routes = List.copyOf(routes);
        this.targets = targets;
    }

    Request request(int index) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + index);
        String route = routes.get(index % routes.size());
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        List<String> what = new ArrayList<>();

        if (r.nextInt(8) == 0) {
            method = METHODS[r.nextInt(METHODS.length)];
            what.add("method " + method);
        }
        boolean rawPath = false;
        StringBuilder path = new StringBuilder();
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            path.append(template, last, m.start());
            String value = paramValue(m.group(1), r, what);
            if (r.nextInt(12) == 0) {
                rawPath = true;
                what.add("raw path");
                path.append(value);
            } else {
                path.append(encode(value));
            }
            last = m.end();
        }
        path.append(template.substring(last));
        if (r.nextInt(20) == 0) {
            path.append("/").append(encode(text(r)));
            what.add("extra segment");
        }
        String query = query(r, what);

        Map<String, String> tokens = targets.tokens();
        List<String> holders = new ArrayList<>(tokens.keySet());
        holders.sort(null);
        String auth;
        int a = r.nextInt(10);
        if (a < 5) {
            auth = "Bearer " + tokens.get(bestHolder(template));
        } else if (a < 7) {
            String holder = holders.get(r.nextInt(holders.size()));
            auth = "Bearer " + tokens.get(holder);
            what.add("token of " + holder);
        } else {
            auth = switch (r.nextInt(7)) {
                case 0 -> null;
                case 1 -> "Bearer";
                case 2 -> "Bearer ";
                case 3 -> "Basic YWRtaW46YWRtaW4=";
                case 4 -> "Bearer " + "t".repeat(r.nextBoolean() ? 200 : 7000);
                case 5 -> "Bearer " + tokens.get("admin") + "x";
                default -> "bearer " + encode(text(r));
            };
            what.add("auth " + (auth == null ? "none" : abbreviate(auth)));
        }

        byte[] body = new byte[0];
        boolean stall = false;
        boolean broken = rawPath;
        String contentType = "application/json";
        long declared = -1;
        int b = r.nextInt(12);
        if (b < 3) {
            body = sampleBody(template, method, r).getBytes(StandardCharsets.UTF_8);
            what.add("valid body");
        } else if (b < 7) {
            body = mutatedBody(template, method, r, what).getBytes(StandardCharsets.UTF_8);
        } else if (b == 7) {
            String s = sampleBody(template, method, r);
            body = s.substring(0, r.nextInt(Math.max(1, s.length()))).getBytes(StandardCharsets.UTF_8);
            what.add("truncated JSON");
        } else if (b == 8) {
            body = new byte[r.nextInt(2000)];
            r.nextBytes(body);
            contentType = r.nextBoolean() ? "application/octet-stream" : "text/plain";
            what.add("random bytes");
        } else if (b == 9) {
            // Declares more than it sends, then waits: only the server's body timeout ends this.
            String s = sampleBody(template, method, r);
            body = s.substring(0, r.nextInt(Math.max(1, s.length()))).getBytes(StandardCharsets.UTF_8);
            declared = body.length + 1L + r.nextInt(r.nextBoolean() ? 100 : 100_000_000);
            stall = true;
            broken = true;
            what.add("declares " + declared + ", sends " + body.length + " and stalls");
        } else if (b == 10) {
            declared = r.nextBoolean() ? Long.MAX_VALUE : -5;
            body = "{}".getBytes(StandardCharsets.UTF_8);
            broken = true;
            what.add("Content-Length " + declared);
        }
        // else: no body

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String line = method + " " + path + query + " HTTP/1.1\r\n";
        out.writeBytes(line.getBytes(rawPath ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII));
        header(out, "Host", "127.0.0.1");
        header(out, "Connection", "close");
        if (auth != null) header(out, "Authorization", auth);
        if (r.nextInt(30) == 0) {
            out.writeBytes("X-Evil: a\u0000b\r\n".getBytes(StandardCharsets.ISO_8859_1));
            broken = true;
            what.add("NUL in a header");
        }
        if (body.length > 0 || declared >= 0 || declared == -5) {
            header(out, "Content-Type", contentType);
            header(out, "Content-Length", Long.toString(declared != -1 ? declared : body.length));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return new Request(route, out.toByteArray(), stall, broken, String.join(", ", what));
    }

    /** The token most likely to get past auth on this route, so the handler itself is reached. */
    private static String bestHolder(String template) {
        if (template.equals("/api/v1/agents/enroll")) return "enroll";
        if (template.startsWith("/api/v1/agents/")) return "agent";
        if (template.contains("/desk")
                || template.contains("/drain")
                || template.contains("/undrain")
                || template.contains("/tokens")
                || template.contains("/labels")
                || template.contains("/owner")
                || template.contains("/history")
                || template.contains("/overload")) return "admin";
        return "alice";
    }

    private String paramValue(String name, Random r, List<String> what) {
        if (r.nextInt(3) == 0) {
            return switch (name) {
                case "id" -> Long.toString(targets.job());
                case "fencingToken" -> Long.toString(targets.fencingToken());
                case "machine", "name" -> targets.machine();
                case "stream" -> r.nextBoolean() ? "stdout" : "stderr";
                case "action" -> ACTIONS[r.nextInt(ACTIONS.length)];
                default -> "1";
            };
        }
        String v = text(r);
        what.add("{" + name + "}=" + abbreviate(v));
        return v;
    }

    private static String text(Random r) {
        return HOSTILE_TEXT[r.nextInt(HOSTILE_TEXT.length)];
    }

    private static String query(Random r, List<String> what) {
        int n = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        if (n == 0) return "";
        StringBuilder q = new StringBuilder("?");
        for (int i = 0; i < n; i++) {
            String k = QUERY_NAMES[r.nextInt(QUERY_NAMES.length)];
            String v = r.nextBoolean() ? text(r) : Integer.toString(r.nextInt(100_000) - 50);
            if (i > 0) q.append('&');
            q.append(k).append('=').append(encode(v));
        }
        what.add("query " + abbreviate(q.toString()));
        return q.toString();
    }

    /** A body the route would accept, as JSON text (raw bytes for output and checkpoints). */
    private String sampleBody(String template, String method, Random r) {
        if (template.equals("/api/v1/jobs") && method.equals("POST"))
            return "{\"command\":[\"/bin/echo\",\"hi\"],\"cpus\":0.5,\"memory\":\"64M\",\"env\":{\"A\":\"b\"},"
                    + "\"secretEnv\":{\"S\":\"v\"},\"name\":\"fuzz\",\"priority\":1,\"count\":"
                    + (1 + r.nextInt(3)) + ",\"requires\":{\"os\":\"linux\"}}";
        if (template.equals("/api/v1/tokens")) return "{\"name\":\"user" + r.nextInt(100) + "\",\"admin\":false}";
        if (template.equals("/api/v1/agents/enroll"))
            return "{\"name\":\"desk-" + r.nextInt(5)
                    + "\",\"cpus\":2,\"memoryBytes\":1073741824,\"sandbox\":\"nice-only\",\"version\":\"t\"}";
        if (template.endsWith("/heartbeat"))
            return "{\"cpus\":4,\"memoryBytes\":68719476736,\"sandbox\":\"nice-only\",\"attempts\":[{\"jobId\":"
                    + targets.job() + ",\"attempt\":1,\"fencingToken\":" + targets.fencingToken()
                    + ",\"state\":\"running\"}],\"labels\":{\"os\":\"linux\"}}";
        if (template.endsWith("/reports"))
            return "{\"reports\":[{\"jobId\":" + targets.job() + ",\"attempt\":2,\"fencingToken\":1,"
                    + "\"outcome\":\"exited\",\"exitCode\":0,\"cpuSeconds\":1.0,\"message\":\"m\"}]}";
        if (template.contains("/output/") || template.endsWith("/checkpoint") || template.endsWith("/{sha256}"))
            return "some output bytes\n";
        if (template.endsWith("/query"))
            return "{\"blobs\":[{\"sha256\":\"" + "ab".repeat(32) + "\",\"size\":" + r.nextInt(100) + "}]}";
        if (template.endsWith("/outputs") && method.equals("POST"))
            return "{\"files\":[{\"name\":\"out/a.csv\",\"sha256\":\"" + "ab".repeat(32)
                    + "\",\"size\":4}],\"moment\":\"exit\"}";
        if (template.equals("/api/v1/overload")) return "{\"until\":\"1h\",\"reason\":\"fuzz\"}";
        if (template.endsWith("/away")) return "{\"until\":\"2d\",\"reason\":\"fuzz\"}";
        if (template.endsWith("/owner")) return "{\"owner\":\"alice\"}";
        if (template.endsWith("/labels")) return "{\"set\":{\"room\":\"3\"},\"remove\":[\"gpu\"]}";
        if (template.endsWith("/result")) return "{\"id\":1,\"outcome\":\"ok\",\"message\":\"m\"}";
        return "{}";
    }

    /** The route's valid body with one value replaced by something hostile (or a field added). */
    private String mutatedBody(String template, String method, Random r, List<String> what) {
        String sample = sampleBody(template, method, r);
        JsonNode root;
        try {
            root = JSON.readTree(sample);
        } catch (java.io.IOException e) {
            root = null;
        }
        if (!(root instanceof ObjectNode obj)) {
            what.add("hostile raw body");
            return text(r);
        }
        List<ObjectNode> objects = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        collect(obj, objects, fields);
        JsonNode hostile = hostileValue(r);
        if (fields.isEmpty() || r.nextInt(6) == 0) {
            String name = r.nextBoolean() ? text(r) : "extra";
            obj.set(name, hostile);
            what.add("added field " + abbreviate(name));
        } else {
            int i = r.nextInt(fields.size());
            objects.get(i).set(fields.get(i), hostile);
            what.add(fields.get(i) + " = " + abbreviate(hostile.toString()));
        }
        try {
            return JSON.writeValueAsString(obj).replace("\"" + DEEP + "\"", deepText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode node, List<ObjectNode> objects, List<String> fields) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                objects.add(o);
                fields.add(f);
                collect(o.get(f), objects, fields);
            }
        } else if (node instanceof ArrayNode a) {
            for (JsonNode e : a) collect(e, objects, fields);
        }
    }

    private static JsonNode hostileValue(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> NODES.textNode("s".repeat(200_000));
            case 1 -> NODES.textNode(text(r));
            case 2 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999999999"));
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(Long.MIN_VALUE);
            case 5 -> NODES.numberNode(1e308);
            case 6 -> NODES.booleanNode(true);
            case 7 -> NODES.nullNode();
            case 8 -> NODES.arrayNode().add(text(r)).add(3);
            case 9 -> NODES.objectNode().put(text(r), text(r));
            case 10 -> NODES.textNode(DEEP);
            case 11 -> {
                ArrayNode many = NODES.arrayNode();
                for (int i = 0; i < 20_000; i++) many.add(i);
                yield many;
            }
            case 12 -> {
                ObjectNode wide = NODES.objectNode();
                for (int i = 0; i < 2000; i++) wide.put("K" + i, "v");
                yield wide;
            }
            default -> NODES.numberNode(Double.NaN);
        };
    }

    /** Stands for arrays nested 5000 deep, which Jackson will not write: replaced in the text. */
    private static final String DEEP = "@@deep@@";

    private static String deepText() {
        return "[".repeat(5000) + "1" + "]".repeat(5000);
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "...(" + s.length() + ")" : clean;
    }
}

package org.cyphon.coordinator;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of {@code coordinator.toml}, key for key. Every value is optional (null = default) and
 * sizes and durations are strings, parsed by core's {@code Sizes} and {@code Durations} so the file
 * reads like the CLI ("16M", "15s").
 */
record CoordinatorToml(
        @JsonProperty("data_dir") String dataDir,
        @JsonProperty("http") Http http,
        @JsonProperty("store") Store store,
        @JsonProperty("leases") Leases leases,
        @JsonProperty("jobs") Jobs jobs,
        @JsonProperty("profiles") Profiles profiles,
        @JsonProperty("schedule") Schedule schedule,
        @JsonProperty("tls") Tls tls,
        @JsonProperty("join") Join join,
        @JsonProperty("files") Files files,
        @JsonProperty("power") Power power) {

    /** {@code [files]}: how long jobs' files are kept. */
    record Files(
            @JsonProperty("unused_grace") String unusedGrace,
            @JsonProperty("keep_outputs") String keepOutputs) {}

    /** {@code [power]}: waking sleeping desks (Wake-on-LAN). */
    record Power(
            @JsonProperty("max_awake") Integer maxAwake,
            @JsonProperty("wake_port") Integer wakePort,
            @JsonProperty("wake_broadcast") java.util.List<String> wakeBroadcast,
            @JsonProperty("wake_after") String wakeAfter,
            @JsonProperty("wake_timeout") String wakeTimeout) {}

    record Tls(
            @JsonProperty("mode") String mode,
            @JsonProperty("cert") String cert,
            @JsonProperty("key") String key,
            @JsonProperty("names") java.util.List<String> names) {}

    /** {@code [join]}: how desks join the pool. */
    record Join(@JsonProperty("approve") Boolean approve) {}

    record Profiles(@JsonProperty("history_retention") String historyRetention) {}

    record Schedule(@JsonProperty("fair_share_half_life") String fairShareHalfLife) {}

    record Http(
            @JsonProperty("listen") String listen,
            @JsonProperty("port") Integer port,
            @JsonProperty("max_body") String maxBody,
            @JsonProperty("body_timeout") String bodyTimeout) {}

    record Store(
            @JsonProperty("url") String url,
            @JsonProperty("user") String user,
            @JsonProperty("password") String password,
            @JsonProperty("password_file") String passwordFile,
            @JsonProperty("pool_size") Integer poolSize) {}

    record Leases(
            @JsonProperty("heartbeat") String heartbeat,
            @JsonProperty("lease") String lease) {}

    record Jobs(
            @JsonProperty("max_attempts") Integer maxAttempts,
            @JsonProperty("max_log_bytes") String maxLogBytes,
            @JsonProperty("long_poll_max") String longPollMax,
            @JsonProperty("max_checkpoint_bytes") String maxCheckpointBytes,
            @JsonProperty("privacy") String privacy,
            @JsonProperty("max_input_bytes") String maxInputBytes,
            @JsonProperty("max_output_bytes") String maxOutputBytes,
            @JsonProperty("history_retention") String historyRetention) {}
}

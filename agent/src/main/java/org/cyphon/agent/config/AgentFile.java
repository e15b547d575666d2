package org.cyphon.agent.config;

/**
 * The raw shape of {@code agent.toml}, one field per documented key (README, "Configuration").
 * Strings hold durations and sizes as written ("2s", "8G"); {@link AgentConfigLoader} parses them.
 */
public record AgentFile(
        String name,
        // one URL, several separated by commas, or an array of URLs (AgentConfigLoader.coordinators)
        Object coordinator,
        String enroll_token,
        String enroll_token_file,
        String state_dir,
        Double cpus,
        String memory,
        Sandbox sandbox,
        Output output,
        Sensors sensors,
        java.util.Map<String, Object> policy,
        Checkpoint checkpoint,
        org.cyphon.agent.desk.DeskTable desk,
        java.util.Map<String, Object> labels,
        String owner,
        String ca_fingerprint,
        Boolean insecure_http,
        Storage storage,
        Power power,
        Gpu gpu) {

    /** {@code [storage]}: shared storage this desk mounts from the office server, and its input cache. */
    public record Storage(java.util.List<String> shared, String cache_dir, String cache_size) {}

    /** {@code [power]}: the desk sleeping when idle (see org.cyphon.agent.power.PowerConfig). */
    public record Power(String suspend_when_idle, String sleep, java.util.List<String> wake_broadcast) {}
    /** {@code [gpu]}: where the desk's NVIDIA tools and device nodes are. */
    public record Gpu(String nvidia_smi, String dev_dir) {}

    /** {@code [checkpoint]}: how jobs are asked to checkpoint (see org.cyphon.agent.checkpoint). */
    public record Checkpoint(
            String signal, String periodic_signal, String grace, String settle, String criu, String max_size) {}

    /** {@code [sandbox]}: how jobs are isolated. */
    public record Sandbox(
            String mode,
            String cgroup_root,
            String cgroup_parent,
            String job_user,
            String run_as,
            String slot_prefix,
            Integer max_jobs,
            Integer pids_max,
            java.util.List<String> share_homes) {}

    /** {@code [sensors]}: how the agent senses the person at the desk. */
    public record Sensors(
            String input_dir,
            Boolean evdev,
            Boolean x11,
            Boolean logind,
            String dbus_address,
            String proc_dir,
            String power_dir,
            String sample_every,
            java.util.List<String> exclusive_apps,
            Boolean gpu) {}

    /** {@code [output]}: shipping of job stdout/stderr to the coordinator. */
    public record Output(String upload_every) {}
}

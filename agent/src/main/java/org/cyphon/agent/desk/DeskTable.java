package org.cyphon.agent.desk;

/**
 * The raw {@code [desk]} table of {@code agent.toml}, one field per documented key (README,
 * "Running the owner's desktop as a VM"). Strings hold sizes and choices as written;
 * {@link DeskConfig#parse} checks and converts them.
 */
public record DeskTable(
        String name,
        String golden_image,
        String overlay,
        String user_data,
        Integer vcpus,
        String memory_max,
        String memory_min,
        String display,
        String session_user,
        String display_dir,
        Integer monitors,
        String network,
        String accel,
        String backend,
        String libvirt_uri,
        String kernel,
        String initrd,
        String cmdline,
        String hours,
        String time_zone,
        String restore_ahead,
        String pause_after_idle,
        String save_after_idle,
        String overload_cpu_floor) {}

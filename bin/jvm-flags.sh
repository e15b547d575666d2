# The JVM flags of each cyphon subcommand: the one place they are written. Sourced (bash) by
# ./cyphon in a git clone and by /usr/bin/cyphon of the Debian package; bench/ asks for them
# through `CYPHON_PRINT_JVM_FLAGS=1 cyphon SUBCOMMAND`, so a benchmark measures what users run.
#
# cyphon_jvm_flags SUBCOMMAND JAVA  sets the array cyphon_jvm_opts (JAVA: the java binary that will run).

# Whether JAVA knows -XX:TrimNativeHeapInterval (JDK 21.0.0 lacks it; later 21s and all newer JDKs
# have it): the JVM then returns glibc's free memory to the system every so often.
cyphon_jvm_trims_native_heap() {
  "$1" -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1
}

cyphon_jvm_flags() {
  case "${1:-}" in
    # The agent lives on someone's desktop: keep its footprint small (README, Performance).
    # One GC thread, a heap that starts at 8 MB and gives back what it does not need, with a 1 MB
    # young generation (its pages are all touched every cycle; an idle agent allocates a few
    # hundred KB a second, so that is a collection every few seconds, each well under a
    # millisecond), a string table sized for the few strings an agent interns (the default's
    # 65,536 buckets are half a megabyte), only the quick JIT and only for code that runs often
    # (an idle agent runs most of its code a few times a minute: compiling it costs more than
    # interpreting it), and glibc's free memory returned every 5 s. No perf-data file (hsperfdata:
    # a shared memory page sampled every 50 ms for jstat, which nobody runs on a desk), and idle
    # monitors deflated every 10 s instead of every 250 ms (the agent inflates a handful: the
    # default woke a thread four times a second to find none). Measured by bench/run agent-idle
    # (README, Performance).
    agent) cyphon_jvm_opts=(-XX:+UseSerialGC -Xms8m -Xmx64m -Xmn1m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:StringTableSize=1024 -XX:-UsePerfData
                            -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000
                            -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=64m -XX:TieredStopAtLevel=1
                            -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000 -XX:Tier3BackEdgeThreshold=600000)
           if cyphon_jvm_trims_native_heap "$2"; then cyphon_jvm_opts+=(-XX:TrimNativeHeapInterval=5000); fi ;;
    # The coordinator: ParallelGC, the dispatch rate's collector. glibc's free memory returned every
    # 5 s: the C2 compiler takes 20-33 MB of malloc for each of the dispatch path's hot methods and
    # frees it, and glibc kept what it had been given back (55 MB of free chunks, half of all it held,
    # with 9,500 desks dispatching): that took the coordinator past 1 GB with a 768 MB heap (peak
    # 1,023-1,035 MB; 977 MB with the trim, each taking 1-40 ms every 5 s). bench/run scale with
    # Native Memory Tracking; README, Performance.
    # And out of the heap, out of the process: a JVM that threw OutOfMemoryError somewhere has
    # threads that died half-way (the store's writer among them: "the store is closed" from then
    # on) and would go on answering requests with errors; exiting lets systemd restart it (the
    # unit's Restart=on-failure) and, meanwhile, another coordinator on the same PostgreSQL lead.
    coordinator|up) cyphon_jvm_opts=(-XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError)
           if cyphon_jvm_trims_native_heap "$2"; then cyphon_jvm_opts+=(-XX:TrimNativeHeapInterval=5000); fi ;;
    # Short-lived client commands (and the agent unit's ExecStopPost): start fast.
    *) cyphon_jvm_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto) ;;
  esac
}

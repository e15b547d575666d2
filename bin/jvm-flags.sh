# The JVM flags of each cyphon subcommand: the one place they are written. Sourced (bash) by
# ./cyphon in a git clone and by /usr/bin/cyphon of the Debian package; bench/ asks for them
# through `CYPHON_PRINT_JVM_FLAGS=1 cyphon SUBCOMMAND`, so a benchmark measures what users run.
#
# cyphon_jvm_flags SUBCOMMAND JAVA  sets the array cyphon_jvm_opts (JAVA: the java binary that will run).
cyphon_jvm_flags() {
  case "${1:-}" in
    # The agent lives on someone's desktop: keep its footprint small (README, Performance).
    # One GC thread, a heap that starts at 8 MB and gives back what it does not need, with a 1 MB
    # young generation (its pages are all touched every cycle; an idle agent allocates a few
    # hundred KB a second, so that is a collection every few seconds, each well under a
    # millisecond), a string table sized for the few strings an agent interns (the default's
    # 65,536 buckets are half a megabyte), only the quick JIT and only for code that runs often
    # (an idle agent runs most of its code a few times a minute: compiling it costs more than
    # interpreting it), and glibc's free memory returned every 5 s. Measured by bench/run
    # agent-idle (README, Performance).
    agent) cyphon_jvm_opts=(-XX:+UseSerialGC -Xms8m -Xmx64m -Xmn1m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:StringTableSize=1024
                            -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=64m -XX:TieredStopAtLevel=1
                            -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000 -XX:Tier3BackEdgeThreshold=600000)
           # JDK 21.0.0 lacks this one; later 21s and all newer JDKs have it.
           if "$2" -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1; then cyphon_jvm_opts+=(-XX:TrimNativeHeapInterval=5000); fi ;;
    coordinator|up) cyphon_jvm_opts=(-XX:+UseParallelGC) ;;
    # Short-lived client commands (and the agent unit's ExecStopPost): start fast.
    *) cyphon_jvm_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto) ;;
  esac
}

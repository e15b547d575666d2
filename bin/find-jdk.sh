# Sourced by ./cyphon and ./mvnw: makes JAVA_HOME point at a JDK >= 21.
# Order: JAVA_HOME if it already is one, else the newest JDK under /usr/lib/jvm.
# Prints a clear error naming what it found and returns non-zero otherwise.
# POSIX sh, because mvnw is a /bin/sh script.

cyphon_jdk_major() {
  # "$1/bin/java" -> major version number, or nothing if it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$_v" in 1.*) _v=${_v#1.} ;; esac
  case "$_v" in ''|*[!0-9]*) return 1 ;; esac
  echo "$_v"
}

cyphon_find_jdk() {
  _need=21
  _seen=""
  if [ -n "${JAVA_HOME:-}" ]; then
    _m=$(cyphon_jdk_major "$JAVA_HOME") || _m=""
    if [ -n "$_m" ] && [ "$_m" -ge "$_need" ]; then return 0; fi
    _seen="JAVA_HOME=$JAVA_HOME (${_m:-not a JDK})"
  fi
  _best=""; _bestm=0
  for _d in /usr/lib/jvm/*; do
    [ -d "$_d" ] && [ ! -L "$_d" ] || continue
    _m=$(cyphon_jdk_major "$_d") || continue
    _seen="$_seen${_seen:+, }$_d ($_m)"
    if [ "$_m" -gt "$_bestm" ]; then _best=$_d; _bestm=$_m; fi
  done
  if [ -n "$_best" ] && [ "$_bestm" -ge "$_need" ]; then
    JAVA_HOME=$_best; export JAVA_HOME; return 0
  fi
  echo "cyphon: needs a JDK >= $_need; found: ${_seen:-no JDK under /usr/lib/jvm and no JAVA_HOME}." >&2
  echo "cyphon: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  return 1
}

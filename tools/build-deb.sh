#!/usr/bin/env bash
# Builds the Debian package: tools/build-deb.sh [--version VERSION] [--out DIR] [--no-build] [--gzip]
#
#   cyphon_VERSION_amd64.deb, installable on a fresh Debian 12 with apt-get install ./cyphon_*.deb:
#   /usr/bin/cyphon                    launcher (bin/jvm-flags.sh's flags per command)
#   /usr/lib/cyphon/runtime/           a Java runtime trimmed by jlink to the modules Cyphon uses
#   /usr/lib/cyphon/{cyphon.jar,lib/}  the CLI and its libraries (the same files as cli/target)
#   /lib/systemd/system/cyphon-{coordinator,agent}.service
#   /usr/lib/systemd/logind.conf.d/cyphon.conf  logind waits up to 30 s for the agent at power-off
#   /etc/cyphon/{coordinator,agent}.toml  (conffiles: an upgrade keeps the admin's edits)
#   /usr/share/doc/cyphon/
#   /usr/share/xsessions/cyphon-desk.desktop, /usr/lib/cyphon/desk-session  the owner's desk session
#
# --version  the package version (default: the pom's, with '-' as '~': 0.1.0~SNAPSHOT)
# --out      where the .deb (and the staged tree, stage-VERSION/) go (default: packaging/target/deb)
# --no-build use cli/target as it is instead of building it first
# --gzip     compress with gzip, not xz: 15% larger, several times faster to build (tests)
# Prints the .deb's path as its last line. Needs a JDK >= 21 (bin/find-jdk.sh) and dpkg-deb.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/bin/find-jdk.sh"
cyphon_find_jdk || exit 1

version="" out="$here/packaging/target/deb" build=1 compression=xz
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --gzip) compression=gzip; shift ;;
    *) echo "build-deb: unknown argument '$1' (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$version" ]; then
  # The parent pom's own <version>, the first one after its <artifactId>.
  version=$(sed -n '/<artifactId>cyphon-parent<\/artifactId>/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -n 1)
  version=${version//-/\~}
fi
if ! [[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]]; then
  echo "build-deb: '$version' is not a Debian version (digits first, then letters, digits, . + ~)" >&2; exit 2
fi
command -v dpkg-deb >/dev/null || { echo "build-deb: needs dpkg-deb (apt-get install dpkg)" >&2; exit 1; }

if [ $build = 1 ]; then
  echo "build-deb: building cli/target/cyphon.jar..." >&2
  (cd "$here" && ./mvnw -B -q -DskipTests -pl cli -am package) >&2
fi
jar="$here/cli/target/cyphon.jar"
[ -f "$jar" ] && [ -d "$here/cli/target/lib" ] || { echo "build-deb: no $jar (run without --no-build)" >&2; exit 1; }

# The runtime: the modules jdeps finds in the jars, plus those only reached by reflection or
# ServiceLoader, which jdeps cannot see: JNDI (java.naming, asked for by JDBC drivers and logback),
# the zip file system (jdk.zipfs), elliptic-curve TLS (jdk.crypto.ec; folded into java.base by newer
# JDKs, added where it still exists) and character sets beyond the standard ones (jdk.charsets).
mkdir -p "$out"
found=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')" \
          --print-module-deps --class-path "$here/cli/target/lib/*" "$jar" "$here"/cli/target/lib/*.jar 2>/dev/null | tail -n 1)
modules="$found,java.naming,jdk.zipfs,jdk.charsets"
if "$JAVA_HOME/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then modules="$modules,jdk.crypto.ec"; fi
# jlink takes a while: reuse a runtime made from the same JDK with the same modules.
key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$modules"; } | sha256sum | cut -c1-16)
runtime="$out/runtime-$key"
if [ ! -x "$runtime/bin/java" ]; then
  echo "build-deb: jlink $modules" >&2
  rm -rf "$runtime" "$runtime.tmp"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress zip-6 --generate-cds-archive --output "$runtime.tmp" >&2
  # AWT's X11 and sound libraries: never loaded by Cyphon (it has no window), and they would need
  # X and ALSA libraries the package does not depend on.
  rm -f "$runtime.tmp"/lib/libawt_xawt.so "$runtime.tmp"/lib/libjsound.so "$runtime.tmp"/lib/libsplashscreen.so
  # The class-data archive for heaps above 32 GB (no compressed oops): no cyphon process has one.
  rm -f "$runtime.tmp"/lib/server/classes_nocoops.jsa
  mv "$runtime.tmp" "$runtime"
fi

stage="$out/stage-$version"
rm -rf "$stage"
deb="$here/packaging/deb"
lib="$stage/usr/lib/cyphon"
mkdir -p "$lib" "$stage/usr/share/xsessions" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/usr/lib/systemd/logind.conf.d" "$stage/etc/cyphon" "$stage/usr/share/doc/cyphon" "$stage/DEBIAN"
cp -a "$runtime" "$lib/runtime"
cp "$jar" "$lib/cyphon.jar"
cp -r "$here/cli/target/lib" "$lib/lib"
install -m 0644 "$here/bin/jvm-flags.sh" "$lib/jvm-flags.sh"
install -m 0755 "$deb/cyphon" "$stage/usr/bin/cyphon"
install -m 0755 "$deb/desk-session" "$lib/desk-session"
install -m 0644 "$deb/cyphon-desk.desktop" "$stage/usr/share/xsessions/cyphon-desk.desktop"
install -m 0644 "$deb/cyphon-coordinator.service" "$deb/cyphon-agent.service" "$stage/lib/systemd/system/"
install -m 0644 "$deb/coordinator.toml" "$deb/agent.toml" "$stage/etc/cyphon/"
install -m 0644 "$deb/logind-cyphon.conf" "$stage/usr/lib/systemd/logind.conf.d/cyphon.conf"
install -m 0644 "$here/README.md" "$here/docs/coordinator-config.md" "$here/docs/job-file.md" "$here/docs/api.md" "$here/docs/desk-session.md" "$stage/usr/share/doc/cyphon/"
install -m 0644 "$deb/copyright" "$stage/usr/share/doc/cyphon/copyright"
install -m 0755 "$deb/postinst" "$deb/prerm" "$deb/postrm" "$stage/DEBIAN/"
printf '%s\n' /etc/cyphon/coordinator.toml /etc/cyphon/agent.toml > "$stage/DEBIAN/conffiles"
find "$stage" -path "$stage/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
cat > "$stage/DEBIAN/control" <<EOF
Package: cyphon
Version: $version
Architecture: amd64
Maintainer: Cyphon developers <cyphon@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: libc6 (>= 2.34), adduser, passwd, util-linux, procps
Recommends: virt-viewer, matchbox-window-manager
Suggests: ethtool
Section: misc
Priority: optional
Description: harvests idle office desktops into a compute cluster
 Every desktop runs a small agent that starts jobs only while its owner is
 away and freezes them the moment the owner needs the machine; a coordinator
 keeps the queue in a real database and hands jobs to desks with slack.
 .
 This package carries its own trimmed Java runtime: it needs no Java from
 the system. The services are installed but not enabled: run the
 coordinator on one machine, the agent on every desk.
EOF
file="$out/cyphon_${version}_amd64.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$stage" "$file" >&2
echo "$file"

#!/usr/bin/env bash
# Builds Cyphon's tiny test guest from Debian packages only, for the desk VM tests:
#
#   OUTDIR/vmlinuz         the kernel of linux-image-cloud-amd64
#   OUTDIR/initrd.cpio     busybox-static, the virtio and ACPI button modules, tools/guest/init,
#                          docs/guest-tools/cyphon-presence.sh
#   OUTDIR/golden.qcow2    the golden "system disk": a 16 MiB ext4 file system with /golden.txt
#   OUTDIR/userdata.img    a raw 8 MiB ext4 user-data disk with /owner.txt
#   OUTDIR/cmdline         the kernel command line the guest expects
#
# Usage: tools/build-test-guest.sh OUTDIR
#
# Idempotent and cached: the .debs are kept in OUTDIR/debs and downloaded only when missing; the
# images are rebuilt only when missing or when this script or tools/guest/* changed (a stamp holds
# their hash). Concurrent runs on the same OUTDIR wait for each other (flock). Needs apt-get (with
# package lists: as root it runs "apt-get update" itself when a download fails), dpkg-deb, tar,
# mke2fs (e2fsprogs, for -d) and qemu-img (qemu-utils).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

for tool in apt-get dpkg-deb tar mke2fs qemu-img flock sha256sum; do
    if ! command -v "$tool" >/dev/null; then
        echo "$0: '$tool' is not installed (qemu-img comes with qemu-utils; run .ci/run as root once to install the test packages)" >&2
        exit 1
    fi
done

exec 9>"$out/.lock"
flock 9

presence="$here/../docs/guest-tools/cyphon-presence.sh"
stamp="$(cat "$0" "$here"/guest/* "$presence" | sha256sum | cut -d' ' -f1)"
products=(vmlinuz initrd.cpio golden.qcow2 userdata.img cmdline)
up_to_date() {
    [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] || return 1
    for f in "${products[@]}"; do [ -s "$out/$f" ] || return 1; done
}
if up_to_date; then
    exit 0
fi

# --- Debian packages ---------------------------------------------------------------------------

debs="$out/debs"
mkdir -p "$debs"

# Downloads package $1 into $debs unless a .deb of it is already there; prints the file's path.
fetch() {
    local found
    found="$(find "$debs" -maxdepth 1 -name "${1}_*.deb" | sort | tail -n 1)"
    if [ -z "$found" ]; then
        # apt-get download writes into the current directory; the _apt sandbox warning about
        # directories it cannot read is noise here.
        if ! (cd "$debs" && apt-get download -q "$1" >/dev/null 2>"$debs/apt.err"); then
            if [ "$(id -u)" = 0 ]; then
                apt-get update -qq >/dev/null
                (cd "$debs" && apt-get download -q "$1" >/dev/null 2>"$debs/apt.err") || {
                    echo "$0: apt-get download $1 failed:" >&2; cat "$debs/apt.err" >&2; exit 1; }
            else
                echo "$0: apt-get download $1 failed (run 'apt-get update' as root?):" >&2
                cat "$debs/apt.err" >&2
                exit 1
            fi
        fi
        found="$(find "$debs" -maxdepth 1 -name "${1}_*.deb" | sort | tail -n 1)"
    fi
    echo "$found"
}

# linux-image-cloud-amd64 is a metapackage: the kernel is in the linux-image-X.Y.Z-N-cloud-amd64
# package it depends on.
meta="$(fetch linux-image-cloud-amd64)"
kernel_pkg="$(dpkg-deb -f "$meta" Depends | tr ',' '\n' | sed -n 's/^ *\(linux-image-[^ ]*-cloud-amd64\).*/\1/p' | head -n 1)"
if [ -z "$kernel_pkg" ]; then
    echo "$0: cannot find the kernel package in the Depends of $meta" >&2
    exit 1
fi
kernel_deb="$(fetch "$kernel_pkg")"
busybox_deb="$(fetch busybox-static)"

# --- Kernel and modules ------------------------------------------------------------------------

work="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The cloud kernel has ext4, the 8250 serial console, the VGA text console, the PS/2 keyboard and
# PCIe hot-plug built in; virtio (PCI, block, console, balloon, input: a keyboard added while the
# guest runs) and the ACPI power button are modules, loaded by /init in this order. (It has no USB at
# all: a hot-plugged virtio keyboard stands in for a redirected USB one.) Each module's own "depends=" is checked against it below, so a kernel update that adds a
# dependency fails here rather than as a guest that cannot find its disks.
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk
    virtio_console virtio_balloon virtio_input button evdev)

mkdir -p "$work/kernel"
dpkg-deb --fsys-tarfile "$kernel_deb" | tar -x -C "$work/kernel" --wildcards './boot/vmlinuz-*' \
    './lib/modules/*/kernel/drivers/virtio/*' './lib/modules/*/kernel/drivers/block/virtio_blk.ko' \
    './lib/modules/*/kernel/drivers/char/virtio_console.ko' './lib/modules/*/kernel/drivers/acpi/button.ko' \
    './lib/modules/*/kernel/drivers/input/evdev.ko'

root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,system,data,lib/modules,etc/acpi/PWRF}
loaded=" "
for m in "${modules[@]}"; do
    ko="$(find "$work/kernel/lib/modules" -name "$m.ko" | head -n 1)"
    if [ -z "$ko" ]; then
        echo "$0: module $m.ko not found in $kernel_deb" >&2
        exit 1
    fi
    for dep in $(grep -ao 'depends=[a-z0-9_,-]*' "$ko" | head -n 1 | cut -d= -f2 | tr ',' ' '); do
        case "$loaded" in *" $dep "*) ;; *)
            echo "$0: module $m needs $dep, which is not loaded before it: fix 'modules' in $0" >&2
            exit 1 ;;
        esac
    done
    cp "$ko" "$root/lib/modules/"
    loaded="$loaded$m "
done
printf '%s\n' "${modules[@]}" > "$root/lib/modules/load-order"
cp "$(find "$work/kernel/boot" -name 'vmlinuz-*' | head -n 1)" "$work/vmlinuz"

# --- Initramfs ---------------------------------------------------------------------------------

mkdir -p "$work/busybox"
dpkg-deb -x "$busybox_deb" "$work/busybox"
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
cp "$here/guest/init" "$root/init"
cp "$here/guest/power-button" "$root/etc/acpi/PWRF/00000080"
# The guest tools' presence reporter, as shipped to administrators (docs/guest-tools).
cp "$presence" "$root/bin/cyphon-presence"
chmod 755 "$root/init" "$root/bin/busybox" "$root/etc/acpi/PWRF/00000080" "$root/bin/cyphon-presence"
# busybox's own cpio writes the "newc" archive the kernel unpacks, so no cpio package is needed.
(cd "$root" && find . | sort | "$root/bin/busybox" cpio -o -H newc -R 0:0 > "$work/initrd.cpio" 2>/dev/null)

# console=ttyS0 last makes the serial port /dev/console (where /init reads its commands); tty0
# puts the same text on the VGA screen, so screenshots show something.
echo "console=tty0 console=ttyS0 quiet loglevel=3 panic=-1" > "$work/cmdline"

# --- Disks -------------------------------------------------------------------------------------

mkdir -p "$work/golden" "$work/userdata"
echo "golden image of the Cyphon test guest" > "$work/golden/golden.txt"
echo "the owner's own file" > "$work/userdata/owner.txt"
mke2fs -q -t ext4 -L cyphon-system -d "$work/golden" "$work/golden.raw" 16M >/dev/null
qemu-img convert -q -f raw -O qcow2 "$work/golden.raw" "$work/golden.qcow2"
mke2fs -q -t ext4 -L cyphon-data -d "$work/userdata" "$work/userdata.img" 8M >/dev/null

for f in "${products[@]}"; do
    mv -f "$work/$f" "$out/$f"
done
chmod 444 "$out/golden.qcow2"
echo "$stamp" > "$out/.stamp"

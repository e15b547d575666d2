#!/bin/sh
# cyphon-presence: tells the Cyphon agent on the host whenever this desk VM sees input, from any
# device: the keyboard and mouse of the desk session, and devices that never pass through the
# host's input stack (a USB keyboard, mouse, tablet or game pad redirected into the VM through
# SPICE). Without it the agent sees only the input that passes through the host, and may count the
# owner as away while they type on a redirected keyboard.
#
# For Linux guests (golden images). Install it as root:
#   install -m 755 cyphon-presence.sh /usr/local/sbin/cyphon-presence
# and start it at boot, e.g. with this systemd unit (/etc/systemd/system/cyphon-presence.service):
#   [Unit]
#   Description=Cyphon presence reports to the host
#   [Service]
#   ExecStart=/usr/local/sbin/cyphon-presence
#   Restart=always
#   [Install]
#   WantedBy=multi-user.target
# (systemctl enable --now cyphon-presence). It needs root to read /dev/input/event*.
#
# What it does: one reader per /dev/input/eventN (new devices are picked up within a second) writes
# the line "input" to the virtio-serial port org.cyphon.presence.0 for each input event it reads,
# at most one line per device every CYPHON_PRESENCE_THROTTLE seconds (default 0.2). Lines carry no
# key codes or positions: only that input happened. The agent counts each line as the owner's input.
# Plain POSIX sh with dd, mkfifo and sleep: it runs on busybox too (Cyphon's test guest uses this
# very script).
set -u

PORT_NAME=org.cyphon.presence.0
RUN=${CYPHON_PRESENCE_RUN:-/run/cyphon-presence}
THROTTLE=${CYPHON_PRESENCE_THROTTLE:-0.2}

# The port's device: udev links it under /dev/virtio-ports; without udev it is found by its name in sysfs.
port_device() {
    if [ -e "/dev/virtio-ports/$PORT_NAME" ]; then
        echo "/dev/virtio-ports/$PORT_NAME"
        return 0
    fi
    for p in /sys/class/virtio-ports/*; do
        if [ "$(cat "$p/name" 2>/dev/null)" = "$PORT_NAME" ]; then
            echo "/dev/${p##*/}"
            return 0
        fi
    done
    return 1
}

# A VM without the port (an older Cyphon, or not a Cyphon desk): wait, costing nothing.
until port=$(port_device); do sleep 10; done

rm -rf "$RUN"
mkdir -p "$RUN"
mkfifo "$RUN/reports"

# A virtio port takes one opener at a time: one writer holds it, the readers write to a fifo. (The
# fifo is opened read-write so that it never ends when no reader is writing.)
start_writer() {
    cat <>"$RUN/reports" >"$port" &
    writer=$!
}

# Reads NODE one event at a time (an evdev read returns whole events: 24 bytes on 64-bit, 16 on
# 32-bit) until the device goes away.
read_device() { # NODE MARKER
    while dd bs=24 count=1 of=/dev/null 2>/dev/null; do
        echo input >"$RUN/reports"
        sleep "$THROTTLE"
    done <"$1"
    rm -f "$2"
}

start_writer
while :; do
    kill -0 "$writer" 2>/dev/null || start_writer
    for node in /dev/input/event*; do
        [ -c "$node" ] || continue
        marker="$RUN/reading.${node##*/}"
        [ -e "$marker" ] && continue
        : >"$marker"
        read_device "$node" "$marker" &
    done
    sleep 1
done

#!/usr/bin/env bash
# Starts a private session bus listening at DIR/bus (a real socket file,
# where XDG_RUNTIME_DIR/bus is on a desktop), then runs COMMAND with its
# address exported. For testing how a program finds the bus without it.
# usage: bus-at.sh DIR COMMAND [ARG...]
set -u
dir=$1
shift
dbus-daemon --session --address="unix:path=$dir/bus" --nofork --print-address=3 3>"$dir/address" &
bpid=$!
trap 'kill $bpid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$dir/address" ] && break; sleep 0.05; done
[ -S "$dir/bus" ] || { echo "dbus-daemon did not start" >&2; exit 93; }
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$dir/address")
"$@"

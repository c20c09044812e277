#!/usr/bin/env bash
# Runs COMMAND beside a broken notification server (fake-notify.py MODE),
# on the session bus this script is started in (use dbus-run-session).
# usage: with-fake-server.sh MODE LOG COMMAND [ARG...]
set -u
mode=$1 log=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
: >"$log"
/usr/bin/python3 "$here/fake-notify.py" "$mode" "$log" &
spid=$!
trap 'kill $spid 2>/dev/null; wait 2>/dev/null' EXIT
owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null |
    grep -q 'boolean true'
}
for _ in $(seq 200); do owner && break; kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
owner || { echo "the fake notification server did not start" >&2; exit 94; }
"$@"

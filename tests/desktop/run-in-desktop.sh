#!/usr/bin/env bash
# Runs a command beside a real notification daemon: a private X server
# (Xvfb), dunst with this folder's dunstrc, and a dbus-monitor log of every
# Notify call with its wall-clock time. Run it inside `dbus-run-session`.
#
# usage: run-in-desktop.sh OUTDIR COMMAND [ARG...]
#
# Leaves in OUTDIR: history.json (`dunstctl history` after close-all),
# notify.log (`dbus-monitor --profile` lines: type, time, serial, ...),
# calls.log (every call to the server, its answers and signals, in full),
# dunst.log and xvfb.log. Exits with COMMAND's status, or 90-92 when the
# desktop itself did not come up.
set -u
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)

exec 3>"$out/display"
Xvfb -displayfd 3 -screen 0 640x480x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xpid=$!
exec 3>&-
cleanup() {
  kill ${mpid:-} ${dpid:-} "$xpid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
for _ in $(seq 200); do [ -s "$out/display" ] && break; sleep 0.05; done
[ -s "$out/display" ] || { echo "Xvfb did not start" >&2; cat "$out/xvfb.log" >&2; exit 90; }
export DISPLAY=":$(head -n1 "$out/display")"

sed "s|PICK_ACTION|$here/pick-action.sh|" "$here/dunstrc" >"$out/dunstrc"
dunst -config "$out/dunstrc" >"$out/dunst.log" 2>&1 &
dpid=$!
# NameHasOwner never starts a server by D-Bus activation (dunstctl would).
owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null |
    grep -q 'boolean true'
}
for _ in $(seq 200); do owner && break; kill -0 "$dpid" 2>/dev/null || break; sleep 0.05; done
owner || { echo "dunst did not start" >&2; cat "$out/dunst.log" >&2; exit 91; }

dbus-monitor --session --profile \
  "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
  >"$out/notify.log" 2>"$out/monitor.err" &
mpid=$!
# Every call to the server and every answer and signal, in full: what each
# Notify replaced, which ids it got, and every CloseNotification.
dbus-monitor --session \
  "type='method_call',interface='org.freedesktop.Notifications'" \
  "type='method_return'" "type='error'" \
  "type='signal',interface='org.freedesktop.Notifications'" \
  >"$out/calls.log" 2>"$out/calls.err" &
mpid="$mpid $!"
# The monitors print a header line once they are listening.
for _ in $(seq 200); do [ -s "$out/notify.log" ] && [ -s "$out/calls.log" ] && break; sleep 0.05; done
[ -s "$out/notify.log" ] && [ -s "$out/calls.log" ] ||
  { echo "dbus-monitor did not start" >&2; cat "$out/monitor.err" "$out/calls.err" >&2; exit 92; }

"$@"
rc=$?
sleep 0.3 # let the monitor write its last line
dunstctl close-all
dunstctl history >"$out/history.json"
exit $rc

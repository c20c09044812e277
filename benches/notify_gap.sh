#!/usr/bin/env bash
# How late does a notice reach the notification server after its deadline?
#
# Runs N short ice sessions (`start --duration 2s`) of the release build
# beside a real dunst, and reads the time of each Notify call from
# dbus-monitor; the gap is that time minus the session's planned end from
# the log. Two baselines, in the same run:
#   open:      a Python sender (python3-dbus) that holds one open D-Bus
#              connection, sleeps to the same kind of deadline and calls
#              Notify: what a notifier with a kept connection can do here;
#   dunstify:  a shell that sleeps to the deadline and runs dunstify (a new
#              process and connection per notice).
# Then N times: a 10-minute session whose wall clock jumps 30 minutes ahead
# (libfaketime), and the time from the jump to the stop notice.
#
# usage: benches/notify_gap.sh [N]   (default 10; needs cargo build --release
# first and the Debian packages xvfb dunst dbus dbus-x11 faketime python3-dbus)
set -euo pipefail
n=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/therapy-timer
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/open_sender.py" <<'PY'
import math, sys, time
import dbus
n = int(sys.argv[1])
bus = dbus.SessionBus()
iface = dbus.Interface(
    bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications"),
    "org.freedesktop.Notifications")
iface.GetCapabilities()  # the connection and the proxy are ready before any deadline
for _ in range(n):
    deadline = math.floor(time.time()) + 2
    time.sleep(max(0.0, deadline - time.time()))
    iface.Notify("baseline-open", dbus.UInt32(0), "", "baseline", "deadline reached",
                 dbus.Array([], signature="s"), dbus.Dictionary({}, signature="sv"), 1000)
    print(deadline, flush=True)
    time.sleep(0.2)
PY

cat >"$work/inner.sh" <<'INNER'
set -u
bin=$1 n=$2 lib=$3 out=$OUT
stamp() { grep -P '^mc\t.*\tNotify$' "$out/notify.log" | sed -n "${1}p" | cut -f2; }
count() { grep -cP '^mc\t.*\tNotify$' "$out/notify.log"; }
for i in $(seq "$n"); do
  export XDG_STATE_HOME=$out/state-$i
  "$bin" start --phase ice --duration 2s --linger 0s >/dev/null 2>&1
  end=$("$bin" log --json | grep '"end"' | head -n1 | sed 's/.*"end": "\(.*\)".*/\1/')
  sent=$(stamp "$(count)")
  echo "tool $(python3 -c "import sys,datetime as d; e=d.datetime.fromisoformat(sys.argv[1].replace('Z','+00:00')).timestamp(); print(f'{float(sys.argv[2])-e:.6f}')" "$end" "$sent")"
  deadline=$(python3 -c 'import time,math; print(math.floor(time.time())+2)')
  python3 -c "import time,sys; time.sleep(max(0,float(sys.argv[1])-time.time()))" "$deadline"
  dunstify -a baseline -u critical -t 1000 "baseline" "deadline reached"
  sleep 0.2
  echo "baseline $(python3 -c "import sys; print(f'{float(sys.argv[1])-float(sys.argv[2]):.6f}')" "$(stamp "$(count)")" "$deadline")"
done
before=$(count)
/usr/bin/python3 "$(dirname "$0")/open_sender.py" "$n" >"$out/open-deadlines"
i=0
while read -r d; do
  i=$((i + 1))
  echo "open $(python3 -c "import sys; print(f'{float(sys.argv[1])-float(sys.argv[2]):.6f}')" "$(stamp $((before + i)))" "$d")"
done <"$out/open-deadlines"
[ -n "$lib" ] || exit 0
for i in $(seq "$n"); do
  export XDG_STATE_HOME=$out/jump-$i
  echo "+0" >"$out/ft.rc"
  before=$(count)
  FAKETIME_TIMESTAMP_FILE=$out/ft.rc FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$lib \
    "$bin" start --phase ice --linger 0s >/dev/null 2>&1 &
  pid=$!
  while [ "$(count)" -le "$before" ]; do sleep 0.05; done
  sleep 1
  jump=$(date +%s.%N)
  echo "+30m" >"$out/ft.rc"
  wait $pid
  echo "jump $(python3 -c "import sys; print(f'{float(sys.argv[1])-float(sys.argv[2]):.6f}')" "$(stamp "$(count)")" "$jump")"
done
INNER

mkdir -p "$work/out"
OUT=$work/out dbus-run-session -- bash "$root/tests/desktop/run-in-desktop.sh" "$work/out" \
  bash "$work/inner.sh" "$bin" "$n" "$lib" >"$work/results" 2>/dev/null
python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 2 and parts[0] in ("tool", "baseline", "open", "jump"):
        rows.setdefault(parts[0], []).append(float(parts[1]) * 1000)
for name, label in [("tool", "stop notice after its deadline (therapy-timer)"),
                    ("open", "Notify after a deadline (python3-dbus, connection kept open)"),
                    ("baseline", "Notify after a deadline (python sleep + dunstify)"),
                    ("jump", "stop notice after a 30-minute wall-clock jump")]:
    v = rows.get(name, [])
    if v:
        p90 = sorted(v)[min(len(v) - 1, int(len(v) * 0.9))]
        print(f"{label}: n={len(v)} median={statistics.median(v):.1f} ms p90={p90:.1f} ms max={max(v):.1f} ms min={min(v):.1f} ms")
t, o, b = rows.get("tool"), rows.get("open"), rows.get("baseline")
if t and o:
    print(f"median ratio tool/open-connection baseline: {statistics.median(t)/statistics.median(o):.2f}")
if t and b:
    print(f"median ratio tool/dunstify baseline: {statistics.median(t)/statistics.median(b):.2f}")
PY

#!/usr/bin/env bash
# How long from a stop's deadline to the first sound of its alarm?
#
# Starts a PulseAudio server of its own (a null sink), records the sink's
# monitor with parecord for the whole run, and runs N short ice sessions
# (`start --duration 1s`) of the release build, the alarm set to the theme's
# short "complete" sound. The deadline is the session's planned end from the
# log; the first sound is the first sample above silence after it in the
# recording. Baseline, in the same run and the same recording: a shell that
# sleeps to a whole-second deadline and runs `paplay` of the same file (a new
# process and connection per sound, as a hook or a script would). The
# recording's start is read from the wall clock when parecord first writes,
# so both columns carry the same small offset; their difference and ratio
# are what the run measures.
#
# Three cases, each beside its own baseline in the same recording:
#   nodesk  no notification server at all (no session bus: the notice goes
#           to the terminal);
#   paused  a real dunst under Xvfb, paused (`dunstctl set-paused true`),
#           in a private D-Bus session (tests/desktop/run-in-desktop.sh);
#   locked  the same desktop, not paused, with a screen saver on the bus
#           that says the screen is locked (tests/desktop/fake-screensaver.py).
#
# usage: benches/alarm_delay.sh [N]   (default 10 per case; needs cargo build
# --release first and the Debian packages pulseaudio pulseaudio-utils sox
# sound-theme-freedesktop xvfb dunst dbus python3-dbus python3-gi)
set -euo pipefail
n=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/therapy-timer
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
sound=/usr/share/sounds/freedesktop/stereo/complete.oga
[ -f "$sound" ] || { echo "missing $sound (sound-theme-freedesktop)" >&2; exit 1; }
work=$(mktemp -d)
cleanup() { kill ${rec:-} ${pa:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/pulse/runtime" "$work/config/therapy-timer"
HOME=$work/pulse XDG_RUNTIME_DIR=$work/pulse/runtime XDG_CONFIG_HOME=$work/pulse/config \
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disable-shm=yes \
  --log-target=stderr "--load=module-null-sink sink_name=tt" \
  "--load=module-native-protocol-unix socket=$work/pulse/native auth-anonymous=1" \
  2>"$work/pulse.log" &
pa=$!
for _ in $(seq 200); do [ -S "$work/pulse/native" ] && break; sleep 0.05; done
export PULSE_SERVER=unix:$work/pulse/native HOME=$work TZ=UTC
export XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/runtime
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
printf '[alarm]\nsound = "complete"\n' >"$work/config/therapy-timer/config.toml"

parecord --raw --format=s16le --rate=44100 --channels=1 --latency-msec=5 -d tt.monitor \
  "$work/rec.raw" &
rec=$!
python3 - "$work/rec.raw" >"$work/t0" <<'PY'
import os, sys, time
while not (os.path.exists(sys.argv[1]) and os.path.getsize(sys.argv[1]) > 0):
    time.sleep(0.0005)
# The bytes written so far were recorded before now.
print(time.time() - os.path.getsize(sys.argv[1]) / 2 / 44100)
PY

: >"$work/events"
# One case: N sessions of the tool, each followed by a paplay baseline.
cat >"$work/case.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
case=$1 n=$2 bin=$3 sound=$4 work=$5
for i in $(seq "$n"); do
  export XDG_STATE_HOME=$work/state-$case-$i
  "$bin" start --phase ice --duration 1s --linger 0s >/dev/null 2>&1 </dev/null || true
  end=$("$bin" log --json | grep '"end"' | head -n1 | sed 's/.*"end": "\(.*\)".*/\1/')
  python3 -c "import sys,datetime as d; print(sys.argv[2]+'-tool', d.datetime.fromisoformat(sys.argv[1].replace('Z','+00:00')).timestamp())" "$end" "$case" >>"$work/events"
  sleep 0.5
  deadline=$(python3 -c 'import time,math; print(math.floor(time.time())+1)')
  python3 -c "import time,sys; time.sleep(max(0,float(sys.argv[1])-time.time()))" "$deadline"
  paplay "$sound"
  echo "$case-paplay $deadline" >>"$work/events"
  sleep 0.5
done
SH
chmod +x "$work/case.sh"
desktop() {
  mkdir -p "$work/desk-$1"
  dbus-run-session -- bash "$root/tests/desktop/run-in-desktop.sh" "$work/desk-$1" bash -c "$2" \
    >"$work/desk-$1.out" 2>&1 || { echo "the $1 desktop failed:" >&2; cat "$work/desk-$1.out" >&2; exit 1; }
}
"$work/case.sh" nodesk "$n" "$bin" "$sound" "$work"
desktop paused "dunstctl set-paused true; '$work/case.sh' paused $n '$bin' '$sound' '$work'; dunstctl is-paused"
grep -qx true "$work/desk-paused.out" || { echo "dunst was not paused" >&2; exit 1; }
desktop locked "/usr/bin/python3 '$root/tests/desktop/fake-screensaver.py' & s=\$!
  for _ in \$(seq 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.ScreenSaver | grep -q true && break; sleep 0.1; done
  XDG_STATE_HOME='$work/doctor' '$bin' doctor | grep 'screen:'
  '$work/case.sh' locked $n '$bin' '$sound' '$work'; kill \$s"
grep -q "screen: locked" "$work/desk-locked.out" || { echo "the screen was not locked" >&2; exit 1; }
sleep 0.5
kill "$rec"; wait "$rec" 2>/dev/null || true

python3 - "$work/rec.raw" "$(cat "$work/t0")" "$work/events" <<'PY'
import statistics, struct, sys
raw, t0, events = sys.argv[1], float(sys.argv[2]), sys.argv[3]
data = open(raw, "rb").read()
samples = struct.unpack("<%dh" % (len(data) // 2), data[: len(data) // 2 * 2])
rate = 44100
loud = [i for i, s in enumerate(samples) if abs(s) > 300]
# Onsets: a loud sample after at least 0.3 s of silence.
onsets, last = [], None
for i in loud:
    if last is None or i - last > 0.3 * rate:
        onsets.append(t0 + i / rate)
    last = i
delays = {}
for line in open(events):
    kind, at = line.split()
    at = float(at)
    after = [o for o in onsets if o >= at - 0.05]
    if after:
        delays.setdefault(kind, []).append(after[0] - at)
for case in ("nodesk", "paused", "locked"):
    for k in ("tool", "paplay"):
        v = delays.get(f"{case}-{k}", [])
        if not v:
            print(f"{case:7} {k:7} no sound found")
            continue
        print(f"{case:7} {k:7} n={len(v):3}  median {statistics.median(v)*1000:8.1f} ms  "
              f"min {min(v)*1000:8.1f}  max {max(v)*1000:8.1f}")
    tool, base = delays.get(f"{case}-tool"), delays.get(f"{case}-paplay")
    if tool and base:
        t, b = statistics.median(tool), statistics.median(base)
        print(f"{case:7} tool - paplay: {(t-b)*1000:+.1f} ms; ratio {t/b:.2f}; "
              f"all within 1 s: {max(tool) < 1.0}")
PY

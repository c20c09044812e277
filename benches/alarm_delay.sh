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
# Three cases for the tool: the plain desktop-less run (no notification
# server: the notice goes to the terminal), the same with dunst paused is in
# tests/alarm.rs and tests/desktop.rs; this script measures the sound path.
#
# usage: benches/alarm_delay.sh [N]   (default 10; needs cargo build --release
# first and the Debian packages pulseaudio pulseaudio-utils sox
# sound-theme-freedesktop)
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
for i in $(seq "$n"); do
  export XDG_STATE_HOME=$work/state-$i
  "$bin" start --phase ice --duration 1s --linger 0s >/dev/null 2>&1
  end=$("$bin" log --json | grep '"end"' | head -n1 | sed 's/.*"end": "\(.*\)".*/\1/')
  python3 -c "import sys,datetime as d; print('tool', d.datetime.fromisoformat(sys.argv[1].replace('Z','+00:00')).timestamp())" "$end" >>"$work/events"
  sleep 0.5
  deadline=$(python3 -c 'import time,math; print(math.floor(time.time())+1)')
  python3 -c "import time,sys; time.sleep(max(0,float(sys.argv[1])-time.time()))" "$deadline"
  paplay "$sound"
  echo "paplay $deadline" >>"$work/events"
  sleep 0.5
done
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
delays = {"tool": [], "paplay": []}
for line in open(events):
    kind, at = line.split()
    at = float(at)
    after = [o for o in onsets if o >= at - 0.05]
    if after:
        delays[kind].append(after[0] - at)
for k, v in delays.items():
    print(f"{k:8} n={len(v):3}  median {statistics.median(v)*1000:8.1f} ms  "
          f"min {min(v)*1000:8.1f}  max {max(v)*1000:8.1f}")
tool, base = statistics.median(delays["tool"]), statistics.median(delays["paplay"])
print(f"tool - paplay: {(tool-base)*1000:+.1f} ms; ratio {tool/base:.2f}")
PY

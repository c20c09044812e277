#!/usr/bin/env bash
# How long one `tick` takes (cron or a systemd timer start it 1,440 times a
# day), against a baseline in the same run: `therapy-timer --version`, the
# same binary doing nothing but start and exit.
#
# Cases: a tick with nothing due (almost every minute), and a tick whose state
# holds a week of sessions. Both with no session bus, as cron has none when
# the user is logged out; nothing is due, so no notification is sent.
#
# usage: benches/tick.sh [RUNS]   (default 200; needs `cargo build --release`
# and hyperfine, Debian package hyperfine)
# Timing is not a pass/fail test; this prints medians for the record.
set -euo pipefail
runs=${1:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/therapy-timer
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config TZ=UTC
unset DBUS_SESSION_BUS_ADDRESS

# A fresh course, injured an hour ago, with a session running (nothing due).
export XDG_STATE_HOME=$work/fresh
"$bin" injury "1h ago" >/dev/null
"$bin" tick --quiet-hours off >/dev/null 2>&1 || true

# A course a week old: a tick every minute for 7 days, to fill the log.
export XDG_STATE_HOME=$work/week
start=$(date -u -d '7 days ago' +%s)
"$bin" injury "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
for ((m = 0; m < 7 * 24 * 60; m += 5)); do
  "$bin" tick --at "$(date -u -d "@$((start + m * 60))" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null 2>&1
done
sessions=$("$bin" log --json | grep -c '"phase"')
echo "week-old log: $sessions sessions, $(wc -c <"$XDG_STATE_HOME/therapy-timer/state.json") bytes"

# No shell between hyperfine and the commands (-N); `env` sets the state
# folder, so the baseline goes through `env` too.
hyperfine -N --style basic --warmup 20 --runs "$runs" --export-json "$work/h.json" \
  -n "baseline: --version" "env XDG_STATE_HOME=$work/fresh $bin --version" \
  -n "tick, fresh course" "env XDG_STATE_HOME=$work/fresh $bin tick" \
  -n "tick, week-old course" "env XDG_STATE_HOME=$work/week $bin tick" >/dev/null
python3 - "$work/h.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
base = statistics.median(r[0]["times"])
for x in r:
    m = statistics.median(x["times"])
    print(f'{x["command"]}: median {m*1000:.2f} ms, max {max(x["times"])*1000:.2f} ms, '
          f'{m/base:.2f}x baseline, n={len(x["times"])}')
PY

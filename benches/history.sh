#!/usr/bin/env bash
# Whether a command costs the same after years of history (issue 19): the
# release build, on a history built with the CLI itself (`injury --new` and
# `log add`, as a person with recurring spasms would have it), measured
# against `date` and `true` in the same run.
#
# Histories: a fresh course; 20 earlier courses (2,000 sessions); 10 years
# of courses (YEARS_COURSES courses a course every 5 weeks, 100 sessions
# each). Each with a current course of a few sessions.
#
# Commands: `tick` with nothing due, `status`, the bar (`status --format
# waybar`), `pain 3` (a write), and on the 10-year history `log --all` and
# `report --all` (which may read everything).
#
# Runs are interleaved (one of each command per round), so a slow moment
# of the machine falls on all of them alike. Printed: median wall time, its
# ratio to `date`'s median, and the largest max RSS against `true`'s.
#
# usage: benches/history.sh [ROUNDS]   (default 41; needs
# `cargo build --release`, python3 and GNU time, Debian package time). Timing is not a pass/fail test;
# this prints figures for the record, and the issue's targets beside them:
# tick <= 1.5x date, pain 3 <= 3x date, max RSS <= 3x true.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/therapy-timer
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
exec python3 - "$bin" "${1:-41}" "${YEARS_COURSES:-104}" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

binary, rounds, years_courses = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
work = tempfile.mkdtemp(prefix="history-bench-")
base_env = {k: v for k, v in os.environ.items()
            if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")}
base_env.update(TZ="UTC", XDG_CONFIG_HOME=os.path.join(work, "config"))

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")

def cli(env, *args):
    r = subprocess.run([binary, *args], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")

def course(env, injured, sessions, new):
    """One course: `sessions` logged sessions, ice every 70 minutes for 48 h,
    then heat every hour."""
    args = ["injury", iso(injured), "--at", iso(injured + timedelta(hours=1))]
    cli(env, *(args[:1] + (["--new"] if new else []) + args[1:]))
    for k in range(sessions):
        if k < 41:
            phase, start, length = "ice", injured + timedelta(minutes=70 * k), "10m"
        else:
            phase = "heat"
            start = injured + timedelta(hours=48, minutes=5 + 60 * (k - 41))
            length = "15m"
        cli(env, "log", "add", phase, iso(start), "--duration", length,
            "--at", iso(start + timedelta(minutes=30)))

# Everything is in the past of the real clock (writes ahead of it are
# refused); the commands run at a fixed time of the current course.
today = datetime.now(timezone.utc).replace(hour=8, minute=0, second=0, microsecond=0)
current = today - timedelta(days=3)
at = iso(current + timedelta(days=2, hours=4))

def history(name, earlier, gap_days, per_course=100):
    env = dict(base_env, XDG_STATE_HOME=os.path.join(work, name))
    t0 = time.monotonic()
    for i in range(earlier):
        course(env, current - timedelta(days=gap_days * (earlier - i)), per_course, i > 0)
    course(env, current, 5, earlier > 0)
    # Whatever was due at `at` is given once; after that, nothing is due.
    cli(env, "tick", "--at", at)
    d = os.path.join(work, name, "therapy-timer")
    size = sum(os.path.getsize(os.path.join(p, f)) for p, _, fs in os.walk(d) for f in fs)
    state = os.path.getsize(os.path.join(d, "state.json"))
    print(f"history {name}: {earlier} earlier courses, {earlier * per_course + 5} sessions, "
          f"{size} bytes ({state} in state.json), built in {time.monotonic() - t0:.0f} s",
          flush=True)
    return env

envs = {
    "fresh": history("fresh", 0, 0),
    "20 courses": history("20-courses", 20, 30),
    "10 years": history("10-years", years_courses, 35),
}

def measure(argv, env):
    t = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env)
    _, status, _ = os.wait4(pid, 0)
    took = time.perf_counter_ns() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)}: {status}")
    return took / 1e6  # ms

# The max RSS a child of python reports includes python's own (a spawned
# child starts in the parent's memory, and exec keeps its high-water
# mark), so it is taken by GNU time, a small parent, in runs of its own.
gnu_time = "/usr/bin/time"
def max_rss(argv, env):
    out = os.path.join(work, "rss")
    pid = os.posix_spawn(gnu_time, [gnu_time, "-f", "%M", "-o", out, *argv], env)
    os.waitpid(pid, 0)
    with open(out) as f:
        return int(f.read().split()[-1])  # KiB

date, true = shutil.which("date"), shutil.which("true")
cases = [("baseline: date", [date, "+%s"], base_env), ("baseline: true", [true], base_env),
         # The program's own floor: start, parse the arguments, exit.
         ("floor: therapy-timer --version", [binary, "--version"], base_env)]
for name, env in envs.items():
    cases += [
        (f"{name}: tick, nothing due", [binary, "tick", "--at", at], env),
        (f"{name}: status", [binary, "status", "--at", at], env),
        (f"{name}: status --format waybar", [binary, "status", "--format", "waybar", "--at", at], env),
        (f"{name}: pain 3", [binary, "pain", "3", "--at", at], env),
    ]
cases += [
    ("10 years: log --all", [binary, "log", "--all"], envs["10 years"]),
    ("10 years: report --all --html", [binary, "report", "--all", "--html", "--at", at], envs["10 years"]),
]
devnull = os.open(os.devnull, os.O_WRONLY)
saved = os.dup(1), os.dup(2)
times = {c[0]: [] for c in cases}
rss = {c[0]: [] for c in cases}
os.dup2(devnull, 1); os.dup2(devnull, 2)
try:
    for _ in range(3):  # warm-up
        for name, argv, env in cases:
            measure(argv, env)
    for _ in range(rounds):
        for name, argv, env in cases:
            times[name].append(measure(argv, env))
    for _ in range(5):
        for name, argv, env in cases:
            rss[name].append(max_rss(argv, env))
finally:
    os.dup2(saved[0], 1); os.dup2(saved[1], 2)
d = statistics.median(times["baseline: date"])
t_rss = max(rss["baseline: true"])
print(f"\n{rounds} rounds; date median {d:.2f} ms; true max RSS {t_rss} KiB")
print(f"{'command':44} {'median ms':>9} {'x date':>7} {'p90 ms':>7} {'max RSS KiB':>11} {'x true':>7}")
for name, _, _ in cases:
    m = statistics.median(times[name])
    p90 = sorted(times[name])[int(0.9 * (len(times[name]) - 1))]
    r = max(rss[name])
    print(f"{name:44} {m:9.2f} {m / d:7.2f} {p90:7.2f} {r:11} {r / t_rss:7.2f}")
shutil.rmtree(work)
PY

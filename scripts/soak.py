#!/usr/bin/env python3
"""Soak: thousands of polls against the simulator on a fast clock, faults mixed in, and
podtui must not grow: RSS less than 1 MB (1024 kB) above its size after warm-up, and not
one file descriptor or thread more.

The real debug binary runs in a pseudo-terminal (Tests/e2e/harness.py) against `podtui sim
--scenario many --pods 200`, with `PODTUI_TEST_POLL_MS` (debug builds only) making the poll
timer tick every few ms instead of the 1 s floor. While it polls:

- every `--change-every` polls one of eight pods is changed through `POST /_sim/pods` (its
  name, and on one change in four its status RUNNING <-> PAUSED, so the fleet keeps its
  size): identical replies skip re-indexing, so without changes the real refresh path, the
  timeline and the events view would not run;
- every `--fault-every` polls the next list request gets a fault (count 1, cycling through
  http500, http503, malformed, drop, a 429 with Retry-After: 1 and a 0.2 s slow reply), and a
  standing rule makes 1 % of list replies 50 ms slow. Each failed poll costs the app's own
  backoff (2 s; 1 s for the 429), which is most of the run time;
- `j`/`k` are typed now and then, so the UI redraws for keys too.

The warm-up ends after `--warmup` of the polls (default 20 %), and it has seen every fault
kind once, so lazy first-use allocations are behind it (a debug build's RSS grows by 1 to 3 MB
over its first few hundred to two thousand polls, then stays). RSS (`VmRSS`), the entries of
`/proc/PID/fd` and of `/proc/PID/task` are measured then and after the last poll, each as the
median of ten readings over a second (RSS moves by a few hundred kB as malloc gives memory
back). libdispatch adds a worker thread when work waits while its workers are busy or
blocked, which CPU contention makes happen once, at a random time, and the new thread's
malloc arena then grows by 1 to 2 MB over a thousand or two polls. So the warm-up also lasts
until the thread count has been still for as many polls as the warm-up (at most twice as
long), and when the count rises after the warm-up it starts again, once per run (see
`rewarm`); either way the run grows to measure as many polls as planned.
Every fault but `slow` must show up as a failed poll in the log and as "stale" in the
header. At the end podtui must still answer keys (`?` opens help, a key closes it), the
simulator must never have had two list requests at once (`maxConcurrentLists == 1`), `q`
must exit 0 and the terminal (termios and the screen modes) must be as before start, and the
log must hold no crash.

Polls are the API requests the simulator counted (`GET /_sim/stats`): podtui sends nothing
but list requests while it only shows the list.

`--hostile` soaks against the worst fleet issue 24 names: the simulator's `absurd=on` quirk
(about a third of the pods carry 1e300, -1, Int64.max, "NaN", "inf"… in every numeric
field) and `--churn` (one pod touched on every list request), with the eight changed pods
flapping every 2 polls instead of every 25. It also measures the state directory podtui
writes (ledger, timers, idle clocks, log): the files other than the log may grow less than
`FILES_LIMIT_KB` after the warm-up, and the log stays under twice its rotation size.
`scripts/soak.py --hostile --polls 20000 --poll-ms 10` runs about ten minutes.

The long form (the requirement's 10,000 polls):

    scripts/soak.py --polls 10000 --poll-ms 10

takes about 7 minutes on a 2-core machine with the debug build (25 to 50 polls a second, the
slower after the 429, which doubles podtui's interval for five minutes, plus ~2 s of backoff
for each of the ~70 failing polls); 1 MB over 8,000 measured polls finds a leak of ~130
bytes a poll. `Tests/e2e/test_soak.py` runs the same code in a short form in CI (600 polls,
warm-up 300, ~35 s), which finds leaks of more than ~3.5 kB a poll and any fd or thread leak
per poll or per failure. Exit status: 0 when every limit held, 1 when one was broken (the
report says which), 2 for bad arguments.
"""
import argparse
import dataclasses
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from harness import Sim, TUI, mode_problems  # noqa: E402

RSS_LIMIT_KB = 1024
# Each rule hits exactly the next list request. The slow one is not a failure (no backoff).
FAULTS = [
    {"kind": "http500"},
    {"kind": "http503"},
    {"kind": "malformed"},
    {"kind": "drop"},
    {"kind": "rateLimit", "retryAfter": 1},
    {"kind": "slow", "delaySeconds": 0.2},
]
# A standing rule over the whole run.
BACKGROUND_FAULT = {"kind": "slow", "fraction": 0.01, "delaySeconds": 0.05}
LIST = {"path": "/v2/pods", "method": "GET"}
STALL_SECONDS = 70   # longer than the app's longest backoff (60 s)
FILES_LIMIT_KB = 1024                   # state files but the log, growth after warm-up
LOG_LIMIT_KB = 2 * 10 * 1024 + 64       # podtui.log and podtui.log.1 (rotated at 10 MiB)


def state_files(tui):
    """kB of the files under the run's state directory: the log (podtui.log*) and the rest."""
    log = other = 0
    for folder, _, names in os.walk(tui.own_state):
        for name in names:
            try:
                size = os.path.getsize(os.path.join(folder, name))
            except OSError:
                continue
            if name.startswith("podtui.log"):
                log += size
            else:
                other += size
    return {"log_kb": log // 1024, "files_kb": other // 1024}


def sample(pid):
    """RSS in kB, open file descriptors and threads of process `pid`, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return {"rss_kb": rss, "fds": len(os.listdir(f"/proc/{pid}/fd")), "threads": len(os.listdir(f"/proc/{pid}/task"))}


def steady_sample(tui, seconds=1.0, every=0.1):
    """The median of each figure over `seconds` while podtui goes on polling: RSS moves a
    few hundred kB up and down as malloc hands memory back, a connection may be between
    close and reopen; one reading would measure that noise."""
    samples = []
    end = time.time() + seconds
    while time.time() < end or not samples:
        samples.append(sample(tui.pid))
        tui.pump(every)
    return {key: statistics.median_low([s[key] for s in samples]) for key in samples[0]}


@dataclasses.dataclass
class Report:
    polls_wanted: int
    poll_ms: int
    polls: int = 0
    seconds: float = 0.0
    warmup_polls: int = 0
    warmup: dict = dataclasses.field(default_factory=dict)
    end: dict = dataclasses.field(default_factory=dict)
    start: dict = dataclasses.field(default_factory=dict)
    faults: dict = dataclasses.field(default_factory=dict)    # kind -> rules injected
    failed_polls: int = 0                                       # "poll N failed" lines in the log
    stale_seen: int = 0                                         # times the header turned stale
    changes: int = 0                                            # pod changes injected
    max_concurrent_lists: int = 0
    keys_answered: bool = False
    exit_code: object = None
    terminal_restored: bool = False
    screen_modes_left: list = dataclasses.field(default_factory=list)
    crash_lines: list = dataclasses.field(default_factory=list)
    problems: list = dataclasses.field(default_factory=list)
    trace: list = dataclasses.field(default_factory=list)       # (polls, seconds, sample) about once a second
    rewarmed: str = ""                                          # why the warm-up was restarted, if it was
    hostile: bool = False
    files_warmup: dict = dataclasses.field(default_factory=dict)  # state_files() at warm-up and end
    files_end: dict = dataclasses.field(default_factory=dict)

    @property
    def rss_growth_kb(self):
        return self.end["rss_kb"] - self.warmup["rss_kb"]

    def text(self):
        lines = [
            f"polls: {self.polls} of {self.polls_wanted} at {self.poll_ms} ms in {self.seconds:.1f} s "
            f"(warm-up: first {self.warmup_polls})",
            f"faults injected: {sum(self.faults.values())} ({', '.join(f'{k} {v}' for k, v in self.faults.items())}) "
            f"+ 1% of replies 50 ms slow; failed polls logged: {self.failed_polls}; stale episodes seen: {self.stale_seen}",
            f"pod changes injected: {self.changes}",
        ]
        if self.rewarmed:
            lines.append(f"dispatch pool grew: {self.rewarmed}")
        after = [s for n, _, s in self.trace if n > self.warmup_polls]
        for name, unit in (("rss_kb", " kB"), ("fds", ""), ("threads", "")):
            values = [f"{label} {s[name]}{unit}" for label, s in (("start", self.start), ("warm-up", self.warmup),
                                                                 ("end", self.end)) if s]
            if after:
                values.append(f"once a second after warm-up {min(s[name] for s in after)}.."
                              f"{max(s[name] for s in after)}{unit}")
            lines.append(f"{name.split('_')[0]}: " + ", ".join(values))
        if self.warmup and self.end:
            lines.append(f"RSS growth after warm-up: {self.rss_growth_kb} kB (limit < {RSS_LIMIT_KB} kB)")
        if self.files_warmup and self.files_end:
            lines.append(f"state files (hostile={self.hostile}): warm-up {self.files_warmup}, end {self.files_end} "
                         f"(growth limit < {FILES_LIMIT_KB} kB; log limit {LOG_LIMIT_KB} kB)")
        lines.append(f"maxConcurrentLists: {self.max_concurrent_lists}; keys answered at the end: {self.keys_answered}; "
                     f"exit code after q: {self.exit_code}; terminal restored: {self.terminal_restored}")
        lines.append("OK: every limit held" if not self.problems else "PROBLEMS:\n  " + "\n  ".join(self.problems))
        return "\n".join(lines)


class Counter:
    """API requests the simulator has counted since `start`. The simulator trims its record
    from 20,001 entries to 10,000, so its count drops by 10,001 then; this undoes that."""

    def __init__(self, sim):
        self.sim = sim
        self.offset = 0
        self.last = 0
        self.base = self.raw()

    def raw(self):
        stats = self.sim.call("GET", "/_sim/stats")
        self.stats = stats
        now = stats["requests"]
        if now < self.last:
            self.offset += 10_001
        self.last = now
        return now + self.offset

    def __call__(self):
        return self.raw() - self.base


def changed_pod(pod, step):
    """`pod` as the simulator sent it, changed for the `step`th time: its name on every other
    step, its status (RUNNING <-> PAUSED) for four steps in eight, so a status changes on
    one step in four and the rest are changes that only re-index."""
    pod = dict(pod)
    if step % 2:
        pod["name"] = pod["name"] + "-soak"
    if 1 <= step % 8 <= 4:
        pod["status"] = "PAUSED" if pod["status"] == "RUNNING" else "RUNNING"
    return pod


def header(tui):
    return tui.screen.display[0]


def rewarm(report, n, threads, warmup_polls, measured):
    """libdispatch adds a worker thread when work waits while its workers are busy or blocked
    (podtui's UI loop blocks in poll() on one of them). CPU contention makes that happen once,
    at a random time, and the worker's malloc arena brings 1 to 2 MB with it: that is the
    pool reaching its working size, not a leak. So the warm-up starts again, once per run,
    and the run grows to measure as many polls as planned; a second rise fails the run.
    Returns the new number of polls to reach."""
    report.rewarmed = f"threads {report.warmup['threads']} -> {threads} at poll {n}: warm-up restarted"
    report.warmup = {}
    report.end = {}
    report.warmup_polls = n + warmup_polls
    report.polls_wanted = report.warmup_polls + measured
    return report.polls_wanted


def run(polls=10_000, poll_ms=10, pods=200, warmup=0.2, fault_every=100, change_every=25, key_every=40,
        progress=None, hostile=False):
    """Runs the soak and returns a `Report`; `report.problems` lists every broken limit."""
    report = Report(polls_wanted=polls, poll_ms=poll_ms, hostile=hostile)
    if hostile:
        change_every = min(change_every, 2)
    report.warmup_polls = warmup_polls = max(len(FAULTS) * 10, int(polls * warmup))
    assert warmup_polls < polls, "the run must be longer than its warm-up"
    measured = polls - warmup_polls
    target = polls
    # Warm-up: every fault kind once, spread out; then one fault every `fault_every` polls.
    warmup_faults = [warmup_polls * (i + 1) // (len(FAULTS) + 1) for i in range(len(FAULTS))]
    sim = Sim(speed=1, scenario="many", pods=pods, quirks="absurd=on" if hostile else None,
              args=["--churn"] if hostile else [])
    tui = None
    try:
        # The pods whose changes are injected: running and paused ones, changed in turns.
        fleet = [p for p in sim.call("GET", "/v2/pods") if p["status"] in ("RUNNING", "PAUSED")][:8]
        sim.fault(**BACKGROUND_FAULT, **LIST)
        count = Counter(sim)
        tui = TUI(sim, extra_env={"PODTUI_TEST_POLL_MS": str(poll_ms)})
        tui.wait_text("updated", timeout=30)
        report.start = sample(tui.pid)
        started = time.time()
        n = last_n = 0
        last_progress = last_trace = last_poll_time = started
        faults_sent = next_change = next_key = 0
        next_fault = warmup_faults[0]
        more_threads = 0              # trace samples in a row with more threads than the warm-up
        last_thread_change = 0
        stale = False
        while n < target or not report.end:
            tui.pump(0.03)
            now = time.time()
            n = count()
            if n != last_n:
                last_n, last_poll_time = n, now
            elif now - last_poll_time > STALL_SECONDS:
                report.problems.append(f"no poll for {STALL_SECONDS} s after {n} polls; screen:\n{tui.text()}")
                break
            is_stale = "stale" in header(tui)
            report.stale_seen += is_stale and not stale
            stale = is_stale
            if n >= next_fault and n < target - 20:
                rule = FAULTS[faults_sent % len(FAULTS)]
                sim.fault(**rule, count=1, **LIST)
                report.faults[rule["kind"]] = report.faults.get(rule["kind"], 0) + 1
                faults_sent += 1
                if faults_sent < len(warmup_faults):
                    next_fault = warmup_faults[faults_sent]
                elif faults_sent == len(warmup_faults):
                    next_fault = warmup_polls + fault_every // 2
                else:
                    next_fault = n + fault_every
            if n >= next_change:
                i, step = report.changes % len(fleet), report.changes // len(fleet) + 1
                sim.call("POST", "/_sim/pods", [changed_pod(fleet[i], step)])
                report.changes += 1
                # On a fixed schedule (one change per `change_every` polls): counted from the
                # poll seen, the loop's lag (it looks at the screen between polls) added up,
                # and a CI run of 600 polls made 19 changes instead of 24.
                next_change += change_every
            if n >= next_key:
                tui.send("jk"[(n // key_every) % 2], settle=0)
                next_key = n + key_every
            # The warm-up also lasts until the thread count has not moved for as many polls
            # (a new thread's malloc arena takes that long to fill), up to twice as long.
            settled = n >= last_thread_change + warmup_polls or n >= report.warmup_polls + warmup_polls
            if not report.warmup and n >= report.warmup_polls and settled and not stale:
                report.warmup = steady_sample(tui)
                report.files_warmup = state_files(tui)
                if n > report.warmup_polls + 20:        # waited for the threads: measure as long
                    report.warmup_polls = n
                    target = report.polls_wanted = n + measured
            if now - last_trace >= 1:
                report.trace.append((n, round(now - started, 1), sample(tui.pid)))
                last_trace = now
                if len(report.trace) > 1 and report.trace[-1][2]["threads"] != report.trace[-2][2]["threads"]:
                    last_thread_change = n
                grown = report.warmup and report.trace[-1][2]["threads"] > report.warmup["threads"]
                more_threads = more_threads + 1 if grown else 0
                if more_threads == 2 and not report.rewarmed:
                    target = rewarm(report, n, report.trace[-1][2]["threads"], warmup_polls, measured)
                if progress and now - last_progress >= 10:
                    progress(f"{n} polls, {now - started:.0f} s, {report.trace[-1][2]}")
                    last_progress = now
            if n >= target:
                report.end = steady_sample(tui)
                report.files_end = state_files(tui)
                if report.warmup and report.end["threads"] > report.warmup["threads"] and not report.rewarmed:
                    target = rewarm(report, n, report.end["threads"], warmup_polls, measured)
        report.seconds = time.time() - started
        report.polls = n
        report.max_concurrent_lists = count.stats["maxConcurrentLists"]
        report.failed_polls = sum(1 for line in tui.log().splitlines() if " poll " in line and " failed" in line)

        # Still answers keys: help opens and closes.
        tui.send("?", settle=0)
        tui.wait_text("any key closes", timeout=10)
        tui.send(" ", settle=0)
        tui.wait_for(lambda t: "any key closes" not in t, timeout=10, what="help closed")
        report.keys_answered = True
    except AssertionError as error:
        report.problems.append(f"{type(error).__name__}: {error}")
    finally:
        if tui is not None:
            try:
                if tui.proc.poll() is None:
                    tui.send("q", settle=0)
                report.exit_code = tui.wait_exit(timeout=10)
                report.terminal_restored = tui.termios_restored()
                report.screen_modes_left = mode_problems(tui.raw)
            except AssertionError as error:
                report.problems.append(f"after q: {error}")
            report.crash_lines = [line for line in tui.log().splitlines()
                                  if any(word in line.lower() for word in ("fatal", "crash", "signal"))]
            tui.close()
        sim.stop()
    check(report)
    return report


def check(report):
    p = report.problems
    if report.polls < report.polls_wanted and not p:
        p.append(f"only {report.polls} of {report.polls_wanted} polls")
    if report.warmup and report.end:
        if report.rss_growth_kb >= RSS_LIMIT_KB:
            p.append(f"RSS grew {report.rss_growth_kb} kB after warm-up (limit < {RSS_LIMIT_KB} kB)")
        if report.end["fds"] > report.warmup["fds"]:
            p.append(f"file descriptors grew from {report.warmup['fds']} to {report.end['fds']}")
        if report.end["threads"] > report.warmup["threads"]:
            p.append(f"threads grew from {report.warmup['threads']} to {report.end['threads']}")
        if report.files_warmup and report.files_end:
            grown = report.files_end["files_kb"] - report.files_warmup["files_kb"]
            if grown >= FILES_LIMIT_KB:
                p.append(f"state files grew {grown} kB after warm-up (limit < {FILES_LIMIT_KB} kB)")
            if report.files_end["log_kb"] > LOG_LIMIT_KB:
                p.append(f"the log holds {report.files_end['log_kb']} kB (limit {LOG_LIMIT_KB} kB)")
    elif not p:
        p.append("no warm-up or end sample taken")
    if report.max_concurrent_lists != 1:
        p.append(f"maxConcurrentLists is {report.max_concurrent_lists}, not 1")
    # Every fault but `slow` fails its poll (a dropped connection too: reads are not retried).
    failing = sum(v for k, v in report.faults.items() if k != "slow")
    if report.failed_polls < failing:
        p.append(f"{failing} failing faults injected but only {report.failed_polls} failed polls logged")
    if failing and not report.stale_seen:
        p.append("polls failed but the header never said stale")
    if not report.keys_answered and not any("AssertionError" in x for x in p):
        p.append("keys not answered at the end")
    if report.exit_code != 0:
        p.append(f"q exited with {report.exit_code}, not 0")
    if not report.terminal_restored:
        p.append("termios not restored after q")
    if report.screen_modes_left:
        p.append(f"screen modes left on: {report.screen_modes_left}")
    if report.crash_lines:
        p.append(f"crash lines in the log: {report.crash_lines}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=10_000)
    parser.add_argument("--poll-ms", type=int, default=10)
    parser.add_argument("--pods", type=int, default=200)
    parser.add_argument("--warmup", type=float, default=0.2, help="share of the polls before the warm-up sample")
    parser.add_argument("--fault-every", type=int, default=100, help="polls between faults after the warm-up")
    parser.add_argument("--change-every", type=int, default=25, help="polls between pod changes")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--hostile", action="store_true",
                        help="absurd numbers, churn and flapping pods; state files measured")
    args = parser.parse_args()
    if args.polls < 100 or args.poll_ms < 1 or not 0 < args.warmup < 1 or args.fault_every < 1 or args.change_every < 1:
        parser.error("need --polls >= 100, --poll-ms >= 1, 0 < --warmup < 1, --fault-every and --change-every >= 1")
    report = run(polls=args.polls, poll_ms=args.poll_ms, pods=args.pods, warmup=args.warmup,
                 fault_every=args.fault_every, change_every=args.change_every, hostile=args.hostile,
                 progress=None if args.quiet else lambda line: print(line, file=sys.stderr, flush=True))
    print(report.text())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The watcher's cost beside the TUI's, in one run (issue 27): `podtui watch` and the TUI
(in a 120x40 pseudo-terminal) against the same `podtui-sim` fleet, at the same poll interval,
side by side, for a fleet at rest and for one where a pod changes on every list (`--churn`).
Figures: CPU seconds per minute over --seconds (after a warm-up that covers the start and the
first metrics round), and resident memory (VmRSS at the end, VmHWM peak), for 1,000 pods.
Metrics API requests are the same budget in both (1 request/s); the watcher has no screen,
so what it does not pay for is drawing.

Usage: scripts/install .build-static/prefix && scripts/measure-watch.py [--seconds 60] [--pods 1000] [--markdown]
       (PODTUI_BIN=path/to/podtui picks another build; podtui-sim must be beside it)
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location("measure", os.path.join(os.path.dirname(os.path.abspath(__file__)), "measure.py"))
measure = importlib.util.module_from_spec(spec)
spec.loader.exec_module(measure)


class Watcher:
    """`podtui watch` as a plain child (no terminal), its log in a file."""

    def __init__(self, sim, interval):
        self.log = tempfile.NamedTemporaryFile(prefix="podtui-measure-watch-")
        env = dict(os.environ, YOTTA_BASE_URL=sim.url, YOTTA_API_KEY=measure.KEY, XDG_STATE_HOME=tempfile.mkdtemp(),
                   XDG_CONFIG_HOME=tempfile.mkdtemp(), LANG="C.UTF-8")
        env.pop("JOURNAL_STREAM", None)
        with open(self.log.name, "ab") as out:
            self.proc = subprocess.Popen([measure.BIN, "watch", "--interval", interval], env=env, stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=out, start_new_session=True)

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / measure.TICK

    def rss_kb(self):
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS", "VmHWM")):
                    out[line.split(":")[0]] = int(line.split()[1])
        return out

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)


def run(pods, churn, seconds, warm, interval):
    sim = measure.Sim(pods, churn=churn)
    try:
        tui = measure.podtui(sim)
        tui.wait_for(rb"pods", timeout=60)
        watch = Watcher(sim, interval)
        end = time.monotonic() + warm
        while time.monotonic() < end:
            tui.read(0.2)
        t0, w0 = tui.cpu_seconds(), watch.cpu_seconds()
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            tui.read(0.2)
        minutes = (time.monotonic() - start) / 60
        row = {
            "tui_cpu": (tui.cpu_seconds() - t0) / minutes, "watch_cpu": (watch.cpu_seconds() - w0) / minutes,
            "tui_rss": tui.rss_kb(), "watch_rss": watch.rss_kb(),
        }
        watch.stop()
        tui.stop()
        return row
    finally:
        sim.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm", type=float, default=20)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    interval = measure.INTERVAL
    rows = []
    for churn in (False, True):
        r = run(args.pods, churn, args.seconds, args.warm, interval)
        fleet = f"{args.pods} pods, {'one changes every poll' if churn else 'at rest'}"
        rows.append((f"CPU s/min, {fleet}", r["tui_cpu"], r["watch_cpu"]))
        rows.append((f"RSS MB now, {fleet}", r["tui_rss"]["VmRSS"] / 1024, r["watch_rss"]["VmRSS"] / 1024))
        rows.append((f"RSS MB peak, {fleet}", r["tui_rss"]["VmHWM"] / 1024, r["watch_rss"]["VmHWM"] / 1024))
    header = f"podtui watch beside the TUI: --interval {interval} both, {args.seconds:.0f} s after {args.warm:.0f} s warm-up, {os.path.basename(measure.BIN)}"
    if args.markdown:
        print(f"{header}\n\n| figure | TUI (120x40) | podtui watch | watch / TUI |\n|---|---|---|---|")
        for name, tui, watch in rows:
            print(f"| {name} | {tui:.3f} | {watch:.3f} | {watch / tui if tui else float('nan'):.2f} |")
    else:
        print(header)
        for name, tui, watch in rows:
            print(f"{name:45} TUI {tui:8.3f}   watch {watch:8.3f}   ratio {watch / tui if tui else float('nan'):.2f}")


if __name__ == "__main__":
    main()

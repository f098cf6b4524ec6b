#!/usr/bin/env python3
"""What GPU probing costs the UI, measured on the installed (static) podtui in one run.

Three runs of the same realistic fleet (1,000 pods from `podtui-sim --churn`, one pod
changing on every poll, polled every 2 s) in which 20 RUNNING pods have an sshCmd pointing
at a throwaway sshd on loopback (Tests/e2e/sshloop.py, stub nvidia-smi with 8 GPUs; the
other pods' ssh commands are removed, as the simulator's hosts do not exist):

  off      probes off (the baseline)
  on       probes on at the default interval (`--interval`, 30 s), nvidia-smi answering at once
  hung     probes on, nvidia-smi taking 20 s (a wedged driver): four ssh sessions always open

For each: podtui's CPU (s per minute), key-to-frame latency of Down (median and p99 over
--keys presses, spread over the run) and the data's freshness (the header's "updated Ns
ago", sampled); for `on`, the ssh handshakes and sessions sshd saw per pod, and the probes
per pod per interval. Ratios are against `off` in the same run.

Usage: scripts/install .build-static/prefix && scripts/measure-probes.py [--seconds 90] [--interval 30] [--keys 120] [--markdown]
Needs: openssh-server and openssh-client, python3.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "e2e"))
import measure  # noqa: E402  (the pty runner, the simulator, key latency)
import sshloop  # noqa: E402

PROBED = 20


def inject(sim, pods):
    req = urllib.request.Request(sim.url + "/_sim/pods", data=json.dumps(pods).encode(), method="POST",
                                 headers={"X-Api-Key": measure.KEY})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["data"]


def run(label, sim, loop, probes, seconds, keys, interval):
    config = tempfile.mkdtemp()
    os.makedirs(os.path.join(config, "podtui"))
    with open(os.path.join(config, "podtui", "config.yaml"), "w") as f:
        f.write(f"ui:\n  gpu_probe: {'true' if probes else 'false'}\n  gpu_probe_interval: {interval}\n")
    env = {"YOTTA_BASE_URL": sim.url, "YOTTA_API_KEY": measure.KEY, "XDG_STATE_HOME": tempfile.mkdtemp(),
           "XDG_CONFIG_HOME": config, "PATH": loop.env()["PATH"]}
    p = measure.Pty([measure.BIN, "--interval", measure.INTERVAL], env)
    try:
        p.wait_for(rb"updated", timeout=60)
        p.read(3)
        loop.reset_counts()
        cpu0, t0 = p.cpu_seconds(), time.monotonic()
        lat, fresh = [], []
        per_key = seconds / max(1, keys)
        while time.monotonic() - t0 < seconds:
            value = p.key_latency(b"\x1bOB")   # Down (keypad mode)
            if value is not None:
                lat.append(value * 1000)
            ages = re.findall(rb"updated (\d+)s ago", p.buffer[-20000:])
            if ages:
                fresh.append(int(ages[-1]))
            p.read(max(0.0, per_key - 0.05))
        span = time.monotonic() - t0
        result = {
            "cpu": (p.cpu_seconds() - cpu0) * 60 / span,
            "median": measure.statistics.median(lat) if lat else float("nan"),
            "p99": measure.pct(lat, 99) if lat else float("nan"),
            "fresh": max(fresh) if fresh else float("nan"),
            "logins": loop.sshd_logins(), "sessions": loop.sshd_sessions(), "probes": loop.nvidia_calls(), "span": span,
        }
        return result
    finally:
        p.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--interval", type=float, default=30)
    ap.add_argument("--keys", type=int, default=120)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if not sshloop.available():
        sys.exit("measure-probes: " + sshloop.why_unavailable())
    loop = sshloop.SSHLoop(sshd_options=["MaxSessions 64", "MaxStartups 64"]).start()
    sim = measure.Sim(1000, churn=True)
    try:
        pods = sim.get("/v2/pods?page=1&pageSize=100000")
        pods = pods if isinstance(pods, list) else pods.get("records") or pods.get("list") or []
        running = [p for p in pods if p.get("status") in ("RUNNING", 2)]
        for i, p in enumerate(running):
            p["sshCmd"] = f"ssh root@127.0.0.1 -p {loop.port}" if i < PROBED else None
        inject(sim, running)
        loop.set_nvidia([f"{i}, {50 + i}, 40000, 81559" for i in range(8)])
        off = run("off", sim, loop, False, args.seconds, args.keys, args.interval)
        on = run("on", sim, loop, True, args.seconds, args.keys, args.interval)
        loop.set_nvidia([f"{i}, 50, 40000, 81559" for i in range(8)], delay=20)
        hung = run("hung", sim, loop, True, args.seconds, args.keys, args.interval)
    finally:
        sim.stop()
        loop.stop()
    intervals = on["span"] / args.interval
    rows = [
        ("CPU, s per minute", off["cpu"], on["cpu"], hung["cpu"]),
        ("Down key-to-frame, median ms", off["median"], on["median"], hung["median"]),
        ("Down key-to-frame, p99 ms", off["p99"], on["p99"], hung["p99"]),
        ("oldest data seen, s (header)", off["fresh"], on["fresh"], hung["fresh"]),
    ]
    sep = " | " if args.markdown else "  "
    head = ["measure", "off", "on", "on/off", "hung", "hung/off"]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
    else:
        print(sep.join(f"{h:>12}" if i else f"{h:<32}" for i, h in enumerate(head)))
    for name, a, b, c in rows:
        cells = [name, f"{a:.3f}", f"{b:.3f}", f"{b / a:.2f}x" if a else "-", f"{c:.3f}", f"{c / a:.2f}x" if a else "-"]
        print(("| " + " | ".join(cells) + " |") if args.markdown else sep.join(f"{x:>12}" if i else f"{x:<32}" for i, x in enumerate(cells)))
    print()
    # The 20 pods share one host, port and user here, hence one ssh master for all of them.
    print(f"probes on: {on['probes']} probes of {PROBED} pods in {on['span']:.0f} s = "
          f"{on['probes'] / (PROBED * intervals):.2f} per pod per {args.interval:.0f}-s interval; "
          f"{on['logins']} new ssh handshakes after the first probes, {on['sessions']} sessions")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Whole-program measurements of the installed (static, stripped) podtui, side by side with
htop in the same run.

Both programs run in pseudo-terminals of 120x40 (TERM=xterm-256color); podtui polls every
2 s (`--interval 2`) a `podtui-sim` on loopback, with two fleets: one that never changes
(so "idle" means idle; the client skips decoding a body equal to the last one) and the
realistic one, where one pod changes on every poll (`podtui-sim --churn`), so every reply
is decoded and indexed. Figures:

  idle bytes/s to the terminal and idle CPU s/min over --idle seconds (default 60), for both
  fleets; RSS (steady and peak) with 1,000 and 10,000 pods, and what it is made of (from
  /proc/PID/smaps: podtui's own text and data, Foundation and ICU, the Swift runtime and
  other libraries, heap and other anonymous memory); key-to-frame latency (median, p99 over
  --keys presses) for Down, a filter keystroke and a sort with 10,000 pods; time from exec to
  the first frame and from the first list request to the full list; the most list requests
  the simulator ever saw at once.

Usage: scripts/install .build-static/prefix && scripts/measure.py [--idle 60] [--keys 200] [--markdown]
       (PODTUI_BIN=path/to/podtui picks another build; podtui-sim must be beside it)
Needs: htop (apt-get install htop), python3.
"""
import argparse
import fcntl
import json
import os
import platform
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PODTUI_BIN", os.path.join(ROOT, ".build-static", "prefix", "bin", "podtui"))
SIM = os.path.join(os.path.dirname(BIN), "podtui-sim")
INTERVAL = "2"
KEY = "measure-key-7d3a"
COLS, ROWS = 120, 40
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sim:
    def __init__(self, pods, churn=False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # speed 1e-6: no lifecycle moves during the run; --churn touches one pod per list.
        self.proc = subprocess.Popen([SIM, "--port", str(self.port), "--api-key", KEY, "--scenario", "many",
                                      "--pods", str(pods), "--speed", "0.000001", *(["--churn"] if churn else [])],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert b"listening" in self.proc.stdout.readline()

    def get(self, path):
        req = urllib.request.Request(self.url + path, headers={"X-Api-Key": KEY})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())["data"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Pty:
    """A program on a pty of COLSxROWS; output is read and counted, never interpreted."""

    def __init__(self, argv, env):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        full = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LINES=str(ROWS), COLUMNS=str(COLS), **env)

        def setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full, preexec_fn=setup, close_fds=True)
        os.close(slave)
        self.total = 0
        self.buffer = bytearray()
        self.first_byte = None

    def read(self, seconds):
        """Reads for `seconds`; returns (bytes, time of the last byte or None)."""
        end = time.monotonic() + seconds
        got, last = 0, None
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got, last
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return got, last
                now = time.monotonic()
                if self.first_byte is None:
                    self.first_byte = now
                got += len(data)
                last = now
                self.total += len(data)
                self.buffer += data
                if len(self.buffer) > 4 << 20:
                    del self.buffer[: len(self.buffer) - (1 << 20)]

    def wait_for(self, pattern, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if re.search(pattern, self.buffer):
                return time.monotonic()
            self.read(0.01)
        raise RuntimeError(f"timed out waiting for {pattern!r}")

    def key_latency(self, key, quiet=0.02):
        """Seconds from writing `key` to the last byte of the frame it caused: the frame
        ends when the output has been quiet for `quiet` s (a frame is written in one go)."""
        self.read(0.05)   # drain
        sent = time.monotonic()
        os.write(self.master, key)
        last = None
        deadline = sent + 1.0
        while True:
            wait = (last + quiet - time.monotonic()) if last else (deadline - time.monotonic())
            if wait <= 0:
                break
            r, _, _ = select.select([self.master], [], [], wait)
            if not r:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            self.total += len(data)
            last = time.monotonic()
        return (last - sent) if last else None

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def rss_kb(self):
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS", "VmHWM")):
                    out[line.split(":")[0]] = int(line.split()[1])
        return out

    def rss_parts(self):
        """Resident memory by kind, in MB, from /proc/PID/smaps."""
        return rss_breakdown(self.proc.pid, self.proc.args[0])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)


RSS_PARTS = ("own text", "own data", "Foundation + ICU", "Swift runtime + dispatch", "other libraries", "heap + anonymous", "stack")


def rss_breakdown(pid, binary):
    """Resident MB of each kind of mapping: the program's own file (executable segments =
    text, the rest = data), Foundation and ICU libraries, the Swift runtime and libdispatch,
    other shared libraries, anonymous memory (heap, malloc arenas, thread stacks) and the
    main stack."""
    own = os.path.realpath(binary)
    parts = dict.fromkeys(RSS_PARTS, 0)
    kind = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                perms, path = fields[1], (fields[5] if len(fields) > 5 else "")
                name = os.path.basename(path)
                if path and os.path.realpath(path) == own:
                    kind = "own text" if "x" in perms else "own data"
                elif "Foundation" in name or "icu" in name.lower():
                    kind = "Foundation + ICU"
                elif name.startswith(("libswift", "libdispatch", "libBlocksRuntime")):
                    kind = "Swift runtime + dispatch"
                elif path == "[stack]":
                    kind = "stack"
                elif path.startswith("/"):
                    kind = "other libraries"
                else:
                    kind = "heap + anonymous"
            elif fields and fields[0] == "Rss:" and kind:
                parts[kind] += int(fields[1])
    return {k: v / 1024 for k, v in parts.items()}


def add_rss(rows, label, prog):
    rss = prog.rss_kb()
    rows.append((f"RSS steady, {label} (MB)", rss["VmRSS"] / 1024, None, "MB"))
    rows.append((f"RSS peak, {label} (MB)", rss["VmHWM"] / 1024, None, "MB"))
    parts = prog.rss_parts()
    for part, mb in parts.items():
        rows.append((f"  of which {part} (MB)", mb, None, "MB"))
    return parts


def idle(rows, label, p, h, seconds):
    """Idle bytes and CPU of podtui (and htop, when given) over `seconds`."""
    p.read(5)
    if h:
        h.read(5)
    cpu_p, bytes_p = p.cpu_seconds(), p.total
    cpu_h, bytes_h = (h.cpu_seconds(), h.total) if h else (0, 0)
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        p.read(0.5)
        if h:
            h.read(0.5)
    span = time.monotonic() - t0
    rows.append((f"idle bytes/s to the terminal, {label}", (p.total - bytes_p) / span, (h.total - bytes_h) / span if h else None, "B/s"))
    rows.append((f"idle CPU (s per minute), {label}", (p.cpu_seconds() - cpu_p) * 60 / span, (h.cpu_seconds() - cpu_h) * 60 / span if h else None, "s/min"))


def metrics_rate(rows, sim, start, end):
    """podtui's metrics requests per second between two wall-clock instants (the simulator
    logs arrivals in seconds since 2001), beside the number of RUNNING pods it may ask."""
    since_2001 = 978307200
    asked = [r for r in sim.get("/_sim/requests")
             if r["path"].startswith("/v2/metrics/") and start <= r["time"] + since_2001 <= end]
    running = sum(1 for pod in sim.get("/v2/pods") if pod.get("status") == "RUNNING")
    rows.append((f"metrics requests per second, {running} running pods (budget 1)", len(asked) / max(1e-9, end - start), None, "req/s"))


def podtui(sim, extra=(), debug=False):
    # debug: the client logs when each reply's last byte came (last_byte_at); only for the
    # runs that time the list, as a log line per request costs a little CPU.
    state = tempfile.mkdtemp()
    env = {"YOTTA_BASE_URL": sim.url, "YOTTA_API_KEY": KEY, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": tempfile.mkdtemp()}
    if debug:
        env["PODTUI_LOG_LEVEL"] = "debug"
    p = Pty([BIN, "--interval", INTERVAL, *extra], env)
    p.state_dir = state
    return p


def last_byte_at(p):
    """Wall-clock time the first list reply's last byte reached podtui (its debug log)."""
    try:
        with open(os.path.join(p.state_dir, "podtui", "podtui.log"), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.search(r"GET /v2/pods → 200, \d+ bytes in .*, last byte at ([0-9.]+)", line)
                if m:
                    return float(m.group(1))
    except OSError:
        pass
    return None


def list_split(rows, label, p, arrived, on_screen):
    """Request → list on screen, split at the reply's last byte: the server and the wire
    before it, podtui (decode, index, first frame) after it."""
    rows.append((f"first list request → full list, {label} (ms)", (on_screen - arrived) * 1000, None, "ms"))
    last = last_byte_at(p)
    if last is not None:
        rows.append((f"  of which the server and the wire: request → last byte (ms)", (last - arrived) * 1000, None, "ms"))
        rows.append((f"  of which podtui: last byte → list on screen (ms)", (on_screen - last) * 1000, None, "ms"))


def htop():
    home = tempfile.mkdtemp()
    return Pty([shutil.which("htop")], {"HOME": home, "XDG_CONFIG_HOME": home})


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latencies(prog, keys, count):
    out = []
    for i in range(count):
        value = prog.key_latency(keys[i % len(keys)])
        if value is not None:
            out.append(value * 1000)
    return (statistics.median(out), pct(out, 99)) if out else (float("nan"), float("nan"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--keys", type=int, default=200)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"no podtui at {BIN}: build it with scripts/install .build-static/prefix (or set PODTUI_BIN)")
    if not shutil.which("htop"):
        sys.exit("needs htop: apt-get install -y htop")
    rows = []   # (figure, podtui, htop or None, unit, lower is better)

    # 1. Start-up, idle bytes and CPU, RSS with 1,000 pods; htop alongside.
    sim = Sim(1000)
    try:
        h = htop()
        p = podtui(sim)
        first_frame = p.wait_for(rb"podtui") - p.started
        h_first = h.wait_for(rb"Tasks|CPU") - h.started
        p.wait_for(rb"updated")
        req = [r for r in sim.get("/_sim/requests") if r["path"] == "/v2/pods"][0]
        rows.append(("exec → first frame (ms)", first_frame * 1000, h_first * 1000, "ms"))
        t_list = p.wait_for(rb"updated")
        rows.append(("exec → full list of 1,000 pods (ms)", (t_list - p.started) * 1000, None, "ms"))
        arrived = req["time"] + 978307200
        list_split(rows, "1,000 pods", p, arrived, time.time() - (time.monotonic() - t_list))
        idle(rows, "1,000 unchanged pods", p, h, args.idle)
        heap_1k = add_rss(rows, "1,000 pods", p)["heap + anonymous"]
        hrss = h.rss_kb()
        rows.append(("htop RSS steady (MB)", hrss["VmRSS"] / 1024, None, "MB"))
        p.stop()
        del req
    finally:
        sim.stop()

    # 1b. The realistic fleet: one of 1,000 pods changes on every poll (htop alongside).
    sim = Sim(1000, churn=True)
    try:
        p = podtui(sim)
        p.wait_for(rb"updated")
        idle(rows, "1,000 pods, one changing per poll", p, h, args.idle)
        add_rss(rows, "1,000 pods, one changing per poll", p)
        p.stop()
        h.stop()
    finally:
        sim.stop()

    # 1c. API metrics traffic: about 1,000 RUNNING pods (1,750 generated), for the idle time.
    sim = Sim(1750)
    try:
        p = podtui(sim)
        p.wait_for(rb"updated", timeout=60)
        p.read(10)   # past the start-up burst (4 requests at once): the steady rate is the budget
        start = time.time()
        p.read(args.idle)
        metrics_rate(rows, sim, start, time.time())
        p.stop()
    finally:
        sim.stop()

    # 2. 10,000 pods: RSS, list time, key latencies; htop key latencies as the baseline.
    sim = Sim(10000)
    try:
        p = podtui(sim, debug=True)
        p.wait_for(rb"podtui")
        t_list = p.wait_for(rb"updated", timeout=60)
        wall_list = time.time() - (time.monotonic() - t_list)
        reqs = [r for r in sim.get("/_sim/requests") if r["path"] == "/v2/pods"]
        rows.append(("exec → full list of 10,000 pods (ms)", (t_list - p.started) * 1000, None, "ms"))
        # The simulator logs when the request arrived (seconds since 2001, Foundation's
        # default): from then to the list on screen includes the server building the reply.
        arrived = reqs[0]["time"] + 978307200
        list_split(rows, "10,000 pods", p, arrived, wall_list)
        p.read(4)
        h = htop()
        h.wait_for(rb"Tasks|CPU")
        h.read(2)
        down = latencies(p, [b"\x1bOB", b"\x1bOA"], args.keys)
        h_down = latencies(h, [b"\x1bOB", b"\x1bOA"], args.keys)
        rows.append(("key → frame, Down, median (ms)", down[0], h_down[0], "ms"))
        rows.append(("key → frame, Down, p99 (ms)", down[1], h_down[1], "ms"))
        os.write(p.master, b"/")
        os.write(h.master, b"\\")   # htop's filter
        p.read(0.3)
        h.read(0.3)
        filt = latencies(p, [b"1", b"\x7f"], args.keys)
        h_filt = latencies(h, [b"1", b"\x7f"], args.keys)
        rows.append(("key → frame, filter keystroke, median (ms)", filt[0], h_filt[0], "ms"))
        rows.append(("key → frame, filter keystroke, p99 (ms)", filt[1], h_filt[1], "ms"))
        os.write(p.master, b"\x1b")
        os.write(h.master, b"\x1b")
        p.read(0.3)
        h.read(0.3)
        srt = latencies(p, [b"P", b"N"], args.keys)
        h_srt = latencies(h, [b"P", b"M"], args.keys)   # htop: sort by CPU / by memory
        rows.append(("key → frame, sort, median (ms)", srt[0], h_srt[0], "ms"))
        rows.append(("key → frame, sort, p99 (ms)", srt[1], h_srt[1], "ms"))
        heap_10k = add_rss(rows, "10,000 pods", p)["heap + anonymous"]
        # What a pod costs: the heap's growth from 1,000 to 10,000 pods, per pod.
        rows.append(("heap per pod, 1,000 → 10,000 pods (bytes)", (heap_10k - heap_1k) * 1024 * 1024 / 9000, None, "B"))
        stats = sim.get("/_sim/stats")
        rows.append(("most list requests at once (must be 1)", stats["maxConcurrentLists"], None, ""))
        p.stop()
        h.stop()
        del reqs
    finally:
        sim.stop()

    # 3. 10,000 pods, one changing per poll: every reply is decoded and indexed.
    sim = Sim(10000, churn=True)
    try:
        p = podtui(sim)
        p.wait_for(rb"updated", timeout=60)
        idle(rows, "10,000 pods, one changing per poll", p, None, args.idle)
        add_rss(rows, "10,000 pods, one changing per poll", p)
        p.stop()
    finally:
        sim.stop()

    print_table(rows, args.markdown)


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, int):
        return str(v)
    return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"


def print_table(rows, markdown):
    cpu = platform.processor() or platform.machine()
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores · {cpu} · "
          f"htop {subprocess.run(['htop', '--version'], capture_output=True, text=True).stdout.split()[1]}")
    head = ("figure", "podtui", "htop", "podtui ÷ htop")
    lines = []
    for figure, mine, theirs, _unit in rows:
        ratio = (mine / theirs) if (theirs not in (None, 0) and mine is not None) else None
        lines.append((figure, fmt(mine), fmt(theirs), "–" if ratio is None else f"{ratio:.3f}×"))
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|---:|---:|---:|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(r[i])) for r in lines + [head]) for i in range(4)]
        for line in [head] + lines:
            print("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(line)))


if __name__ == "__main__":
    main()

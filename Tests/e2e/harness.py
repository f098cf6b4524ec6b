"""Drive the real podtui binary in a pseudo-terminal against a real simulator process.

The simulator runs as `podtui sim` on a free loopback port, so tests can read what it
received (`/_sim/requests`) and steer it (`/_sim/faults`, `/_sim/pods`). The UI runs on a pty
whose output feeds a pyte screen; the raw bytes are kept for leak checks.
"""
import fcntl
import json
import os
import select
import signal
import socket
import struct
import subprocess
import termios
import time
import urllib.request

import pyte

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("PODTUI_BIN", os.path.join(ROOT, ".build", "debug", "podtui"))
KEY = "e2e-key-5a1f0c9d"


class TermScreen(pyte.Screen):
    """pyte's screen plus the two scroll commands ncurses sends for xterm and pyte lacks:
    SU (`CSI n S`) and SD (`CSI n T`). Without them a screen whose lines move (a form
    growing a row) is misread here though real terminals (and tmux) show it right."""

    def _region(self):
        return (self.margins.top, self.margins.bottom) if self.margins else (0, self.lines - 1)

    def scroll_up(self, count=None, *args, **kwargs):
        top, bottom = self._region()
        y, x = self.cursor.y, self.cursor.x
        self.cursor.y = bottom
        for _ in range(max(1, count or 1)):
            self.index()
        self.cursor.y, self.cursor.x = y, x

    def scroll_down(self, count=None, *args, **kwargs):
        top, bottom = self._region()
        y, x = self.cursor.y, self.cursor.x
        self.cursor.y = top
        for _ in range(max(1, count or 1)):
            self.reverse_index()
        self.cursor.y, self.cursor.x = y, x


class TermStream(pyte.ByteStream):
    csi = dict(pyte.ByteStream.csi, S="scroll_up", T="scroll_down")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sim:
    """`podtui sim` as a child process."""

    def __init__(self, speed=20, scenario="demo"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [BINARY, "sim", "--port", str(self.port), "--api-key", KEY, "--speed", str(speed), "--scenario", scenario],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        assert "listening on" in line, line

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"X-Api-Key": KEY})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())["data"]

    def requests(self):
        return self.call("GET", "/_sim/requests")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


class TUI:
    """podtui on a pty of a fixed size, its screen followed by pyte."""

    def __init__(self, sim, cols=120, rows=40, extra_env=None, args=()):
        self.master, self.slave = os.openpty()
        self.set_size(cols, rows, signal_child=False)
        self.saved = termios.tcgetattr(self.slave)
        env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}
        env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url,
                    "SWIFT_BACKTRACE": "interactive=no", "XDG_STATE_HOME": "/tmp/podtui-e2e-state",
                    "XDG_CONFIG_HOME": "/tmp/podtui-e2e-config-none"})
        env.update(extra_env or {})
        slave = self.slave

        def child_setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen([BINARY, "--interval", "1", *args], stdin=slave, stdout=slave, stderr=slave,
                                     env=env, preexec_fn=child_setup, close_fds=True)
        self.screen = TermScreen(cols, rows)
        self.stream = TermStream(self.screen)
        self.raw = bytearray()

    def set_size(self, cols, rows, signal_child=True):
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if signal_child:
            self.screen.resize(rows, cols)
            os.killpg(self.proc.pid, signal.SIGWINCH)

    def pump(self, seconds=0.05):
        end = time.time() + seconds
        while True:
            left = end - time.time()
            if left <= 0:
                return
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                self.raw += data
                self.stream.feed(data)

    def text(self):
        return "\n".join(self.screen.display)

    def wait_for(self, predicate, timeout=10, what="condition"):
        end = time.time() + timeout
        while time.time() < end:
            self.pump(0.05)
            if predicate(self.text()):
                return
        raise AssertionError(f"timed out waiting for {what}; screen:\n{self.text()}")

    def wait_text(self, needle, timeout=10):
        self.wait_for(lambda t: needle in t, timeout, repr(needle))

    def send(self, data):
        os.write(self.master, data.encode() if isinstance(data, str) else data)
        self.pump(0.15)

    def selected_line(self):
        return next((line for line in self.screen.display if line.startswith("▸")), "")

    def select(self, name, limit=40):
        self.send("g")
        for _ in range(limit):
            if self.selected_line().startswith("▸" + name):
                return
            self.send("j")
        raise AssertionError(f"could not select {name}; screen:\n{self.text()}")

    def wait_exit(self, timeout=5):
        end = time.time() + timeout
        while time.time() < end:
            self.pump(0.05)
            code = self.proc.poll()
            if code is not None:
                self.pump(0.1)
                return code
        raise AssertionError("podtui did not exit")

    def termios_restored(self):
        now = termios.tcgetattr(self.slave)
        # iflag, oflag, lflag as before start (echo, canonical mode, signals, CR/NL mapping).
        return now[0] == self.saved[0] and now[1] == self.saved[1] and now[3] == self.saved[3]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        os.close(self.master)
        os.close(self.slave)

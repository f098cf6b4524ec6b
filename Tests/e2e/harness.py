"""Drive the real podtui binary in a pseudo-terminal against a real simulator process.

The simulator runs as `podtui sim` on a free loopback port, so tests can read what it
received (`/_sim/requests`) and steer it (`/_sim/faults`, `/_sim/pods`). The UI runs on a pty
whose output feeds a pyte screen; the raw bytes are kept for leak checks.
"""
import errno
import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
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


def spawn(*args, **kwargs):
    """subprocess.Popen, waiting out a binary that is being relinked (ETXTBSY) meanwhile."""
    end = time.time() + 60
    while True:
        try:
            return subprocess.Popen(*args, **kwargs)
        except OSError as error:
            if error.errno != errno.ETXTBSY or time.time() > end:
                raise
            time.sleep(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sim:
    """`podtui sim` as a child process. Its stdout and stderr go to files (`output()` reads
    them), so a chatty simulator can never block on a full pipe. `port` pins the port, so a
    test can stop the simulator and start a new one where the old one was."""

    def __init__(self, speed=20, scenario="demo", port=None, pods=None, quirks=None, args=()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The child writes in append mode through its own descriptors: sharing one file
        # offset with the reader let a read's seek(0) make the child overwrite its first line.
        self.out = tempfile.NamedTemporaryFile(prefix="podtui-sim-out-")
        self.err = tempfile.NamedTemporaryFile(prefix="podtui-sim-err-")
        extra = args
        args = [BINARY, "sim", "--port", str(self.port), "--api-key", KEY, "--speed", str(speed), "--scenario", scenario]
        if pods is not None:
            args += ["--pods", str(pods)]
        if quirks:
            args += ["--quirks", quirks]
        args += list(extra)
        with open(self.out.name, "ab") as out, open(self.err.name, "ab") as err:
            self.proc = spawn(args, stdout=out, stderr=err)
        end = time.time() + 30
        while "listening on" not in self.output():
            assert self.proc.poll() is None and time.time() < end, f"simulator did not start: {self.output()!r}"
            time.sleep(0.02)

    def output(self):
        """Everything the simulator wrote to stdout and stderr so far."""
        text = b""
        for f in (self.out, self.err):   # read through the parent's own handles (own offset)
            f.seek(0)
            text += f.read()
        return text.decode(errors="replace")

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"X-Api-Key": KEY})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())["data"]

    def fault(self, kind, **fields):
        """Switches a fault on (`fields`: count, fraction, path, method, delaySeconds, …)."""
        return self.call("POST", "/_sim/faults", dict(kind=kind, **fields))

    def clear_faults(self):
        return self.call("DELETE", "/_sim/faults")

    def requests(self):
        return self.call("GET", "/_sim/requests")

    def list_requests(self):
        """How many pod list requests (polls) the simulator has received."""
        return sum(1 for r in self.requests() if r["method"] == "GET" and r["path"] == "/v2/pods")

    def wait_polls(self, count, timeout=30):
        """Waits until `count` more polls have come: a test that checks nothing more happens
        waits for the app to go round its loop that many times, not for a guessed while."""
        target = self.list_requests() + count
        end = time.time() + timeout
        while self.list_requests() < target:
            assert time.time() < end, f"fewer than {count} polls in {timeout} s"
            time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# A minimal job-control shell: a session leader that starts podtui in its own process group
# and gives it the terminal, as bash does. Without it podtui's process group is orphaned and
# the kernel discards SIGTSTP, so Ctrl-Z could not stop it at all.
JOB_SHELL = r"""
import os, signal, sys
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.tcsetpgrp(0, os.getpid())
    for sig in (signal.SIGTTOU, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    os.execv(sys.argv[1], sys.argv[1:])
try:
    os.setpgid(pid, pid)
    os.tcsetpgrp(0, pid)
except OSError:
    pass
while True:
    _, status = os.waitpid(pid, os.WUNTRACED | os.WCONTINUED)
    if os.WIFEXITED(status):
        sys.exit(os.WEXITSTATUS(status))
    if os.WIFSIGNALED(status):
        sys.exit(128 + os.WTERMSIG(status))
"""


def process_state(pid):
    """The one-letter state of a process ('R', 'S', 'T' stopped, 'Z'…), None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


PRIVATE_MODE = re.compile(rb"\x1b\[\?([0-9;]+)([hl])|\x1b([=>])")
MODE_NAMES = {"1049": "alternate screen", "1047": "alternate screen", "47": "alternate screen", "1": "cursor keys (DECCKM)",
              "9": "mouse", "1000": "mouse", "1001": "mouse", "1002": "mouse", "1003": "mouse", "1004": "focus events",
              "1005": "mouse", "1006": "mouse", "1015": "mouse", "1016": "mouse", "2004": "bracketed paste"}


def mode_states(raw):
    """The last state podtui set for each DEC private mode (`{"1049": "l", …}`), from every
    byte it wrote; combined settings such as `ESC[?1006;1000h` count for each mode, and
    keypad application mode (`ESC =` on, `ESC >` off) is reported as "keypad"."""
    states = {}
    for m in PRIVATE_MODE.finditer(bytes(raw)):
        if m.group(3):
            states["keypad"] = "h" if m.group(3) == b"=" else "l"
        else:
            for mode in m.group(1).split(b";"):
                states[mode.decode()] = m.group(2).decode()
    return states


def mode_problems(raw):
    """What a program that has exited (or stopped) left switched on, judged from every byte
    it wrote: the alternate screen, a hidden cursor, keypad or cursor-key mode, mouse,
    focus or paste modes. Empty when the terminal was given back as it was."""
    problems = []
    for mode, state in mode_states(raw).items():
        if mode == "25":
            if state == "l":
                problems.append("cursor left hidden")
        elif mode == "keypad":
            if state == "h":
                problems.append("keypad application mode (ESC =) left on")
        elif mode in MODE_NAMES and state == "h":
            problems.append(f"{MODE_NAMES[mode]} (?{mode}) left on")
    return problems


class TUI:
    """podtui on a pty of a fixed size, its screen followed by pyte.

    Each instance gets its own `XDG_STATE_HOME` (so `log()` reads only this run's log) unless
    `extra_env` sets one. `job_control=True` starts podtui under `JOB_SHELL`, so Ctrl-Z and
    SIGTSTP really stop it; `pid` is always podtui's own pid (`proc` is then the shell)."""

    def __init__(self, sim, cols=120, rows=40, extra_env=None, args=(), job_control=False, argv=None, background=None):
        # `background` ("#rrggbb"): answer podtui's OSC 11 question as a terminal with that
        # background would (None: stay silent, as many terminals do).
        self.background = background
        self.answered = False
        self.master, self.slave = os.openpty()
        self.set_size(cols, rows, signal_child=False)
        self.saved = termios.tcgetattr(self.slave)
        self.own_state = tempfile.mkdtemp(prefix="podtui-e2e-state-")
        self.own_config = tempfile.mkdtemp(prefix="podtui-e2e-config-")
        env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}
        env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url,
                    "SWIFT_BACKTRACE": "interactive=no", "XDG_STATE_HOME": self.own_state,
                    # A config directory of its own: a template or setting one run saves must
                    # never change another run (a saved template makes n ask "start from").
                    "XDG_CONFIG_HOME": self.own_config})
        for name, value in (extra_env or {}).items():   # None removes a variable
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self.env = env
        self.log_path = os.path.join(env["XDG_STATE_HOME"], "podtui", "podtui.log")
        slave = self.slave

        def child_setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        command = argv if argv is not None else [BINARY, "--interval", "1", *args]
        if job_control:
            command = [sys.executable, "-c", JOB_SHELL, *command]
        try:
            self.proc = spawn(command, stdin=slave, stdout=slave, stderr=slave,
                              env=env, preexec_fn=child_setup, close_fds=True)
        except BaseException:
            os.close(self.master)
            os.close(self.slave)
            shutil.rmtree(self.own_state, ignore_errors=True)
            shutil.rmtree(self.own_config, ignore_errors=True)
            raise
        self.pid = self._find_app(self.proc.pid) if job_control else self.proc.pid
        self.screen = TermScreen(cols, rows)
        self.stream = TermStream(self.screen)
        self.raw = bytearray()

    @staticmethod
    def _find_app(shell):
        end = time.time() + 10
        while time.time() < end:
            try:
                with open(f"/proc/{shell}/task/{shell}/children") as f:
                    children = f.read().split()
                if children and os.readlink(f"/proc/{children[0]}/exe") == os.path.realpath(BINARY):
                    return int(children[0])
            except (FileNotFoundError, ProcessLookupError):
                pass
            time.sleep(0.01)
        raise AssertionError("podtui did not start under the job-control shell")

    def kill(self, sig):
        """Sends `sig` to podtui itself."""
        os.kill(self.pid, sig)

    def state(self):
        return process_state(self.pid)

    def log(self):
        """This run's log file, '' when there is none yet."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def set_size(self, cols, rows, signal_child=True):
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        if signal_child:
            self.screen.resize(rows, cols)
            os.killpg(self.pid, signal.SIGWINCH)

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
                if self.background and not self.answered and b"\x1b]11;?" in self.raw:
                    self.answered = True
                    r, g, b = (self.background[i:i + 2] for i in (1, 3, 5))
                    os.write(self.master, f"\x1b]11;rgb:{r}{r}/{g}{g}/{b}{b}\x07".encode())

    def settle(self, quiet=0.15, timeout=3):
        """Reads output until podtui has written nothing for `quiet` seconds, so the screen is
        a whole frame and not one half drawn."""
        end = time.time() + timeout
        while time.time() < end:
            before = len(self.raw)
            self.pump(quiet)
            if len(self.raw) == before:
                return
        raise AssertionError(f"output never settled; screen:\n{self.text()}")

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

    def send(self, data, settle=0.15):
        """Types `data`, then reads output for `settle` seconds (0 when a wait_for follows)."""
        os.write(self.master, data.encode() if isinstance(data, str) else data)
        self.pump(settle)

    def selected_line(self):
        return next((line for line in self.screen.display if line.startswith("▸")), "")

    def select(self, name, limit=40):
        self.send("g")
        for _ in range(limit):
            if self.selected_line().startswith("▸" + name):
                return
            self.send("j")
        raise AssertionError(f"could not select {name}; screen:\n{self.text()}")

    def goto(self, name):
        """Selects the pod whose row starts with `name` in one burst of keys when its row is
        on screen (`select` steps one key at a time)."""
        self.send("g")
        rows = [line for line in self.screen.display if line[:1] in ("▸", " ") and line[1:2].strip()]
        names = [line[1:] for line in rows]
        start = next((i for i, row in enumerate(names) if rows[i].startswith("▸")), None)
        target = next((i for i, row in enumerate(names) if row.startswith(name)), None)
        if start is not None and target is not None and target >= start:
            self.send("j" * (target - start))
            if self.selected_line().startswith("▸" + name):
                return
        self.select(name)

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
        if self.pid != self.proc.pid and process_state(self.pid) not in (None, "Z"):
            os.kill(self.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        os.close(self.master)
        os.close(self.slave)
        shutil.rmtree(self.own_state, ignore_errors=True)
        shutil.rmtree(self.own_config, ignore_errors=True)

"""End-to-end fuzz of the real terminal path: seeded random bytes written to podtui's pty in
every pane and in the form must never crash it, hang it or leave the terminal broken.

What goes in: printable ASCII, UTF-8 (accents, CJK and emoji that take two cells, combining
marks, zero-width and right-to-left characters), invalid UTF-8 (lone continuation bytes,
truncated and overlong sequences, 0xfe/0xff), control bytes, complete escape sequences
(cursor and function keys in CSI and SS3 form, SGR and X10 mouse reports, focus reports,
bracketed paste, cursor-position reports, OSC and DCS strings, Alt-keys), the same cut
short ("ESC [", "ESC [ 1 ;", "ESC O", a lone ESC…), and CSI with huge numbers. Quit keys
are taken out of the stream (q, Q, Ctrl-C, and Ctrl-Z and Ctrl-\\, which would stop or quit
it): `:q` and `:Q` would otherwise quit from the command line. Every pause, resume, delete
and create the random keys confirm is answered with HTTP 500 by the simulator, so the fleet
stays as it is and the error paths run too; `s` (ssh) runs a stub that exits at once.

Each mode is entered with its keys (list; detail `↵`; help `?`; the create form `n`; the
GPU-type, regions and credential pickers; filter `/`; command line `:`; `:gpus`; `:events`)
and entered again every few chunks, as random keys wander off (help: before every chunk).
After each mode podtui must be alive, get back to the list with Esc (a stuck escape
parser or a busy loop would not), open and close help, and still draw its header. At the
end `q` exits 0 with termios and the screen modes restored, the bytes it wrote are valid
UTF-8 (invalid input is never echoed), it was not burning CPU, and the log has no crash.

A mouse report cut short (ESC [ < 0 ; 10 and nothing more) used to freeze the UI until the
next key (ncurses read the rest with a blocking read); podtui now reads keys through a
non-blocking descriptor, and `test_cut_short_mouse_report_does_not_freeze_the_ui` pins it.

Volume: PODTUI_FUZZ_BYTES (default 20,000, split across the modes) scales it for a long run,
e.g. `PODTUI_FUZZ_BYTES=500000 python3 -m pytest -q Tests/e2e/test_fuzz_input.py`;
PODTUI_FUZZ_SEED (default 1) picks another fixed set of seeds.
"""
import os
import random
import re
import stat
import time

import pytest
from wcwidth import wcwidth

from harness import Sim, TUI, TermScreen, TermStream, mode_problems

TOTAL_BYTES = int(os.environ.get("PODTUI_FUZZ_BYTES", "20000"))
BASE_SEED = int(os.environ.get("PODTUI_FUZZ_SEED", "1"))
ESC = "\x1b"
# Quit (q, Q: ":q"/":Q" also quit; Ctrl-C) and stop/quit signals' keys (Ctrl-Z, Ctrl-\).
FORBIDDEN = set(b"qQ\x03\x1a\x1c")

PRINTABLE = [c for c in (chr(i) for i in range(0x20, 0x7f)) if c not in "qQ"]
# Keys the list and the panes act on, so the random stream does more than type text.
COMMAND_KEYS = list("jkgGnprdCe/: *uscNSUXRAP$I?yYhl\t\r") + ["\x7f", "\x06", "\x02"]
UNICODE = ["é", "ß", "ü", "Ω", "中", "文", "字", "漢", "😀", "🚀", "👍🏽", "e\u0301", "\u200b", "\u200d", "\u202e",
           "\ufeff", "\u2028", "Ａ", "ｶ", "ﷺ", "\U0001f9d1\u200d\U0001f4bb", "\u0000", "\u00ad", "\u0085",
           "\U0010ffff", "\ufffd"]
INVALID_UTF8 = [b"\x80", b"\xbf", b"\xc0", b"\xc1\x80", b"\xc3", b"\xe4\xb8", b"\xf0\x9f\x98", b"\xf0\x9f", b"\xed\xa0\x80",
                b"\xe0\x80\xaf", b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xff", b"\xf4\x90\x80\x80", b"\xc3\x28"]
COMPLETE_SEQUENCES = [
    "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1bOA", "\x1bOB", "\x1bOC", "\x1bOD", "\x1b[H", "\x1b[F", "\x1bOH",
    "\x1bOF", "\x1b[1~", "\x1b[4~", "\x1b[2~", "\x1b[3~", "\x1b[5~", "\x1b[6~", "\x1b[Z", "\x1bOP", "\x1bOQ",
    "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[18~", "\x1b[19~", "\x1b[20~", "\x1b[21~", "\x1b[23~",
    "\x1b[24~", "\x1b[1;5A", "\x1b[1;2B", "\x1b[1;3C", "\x1b[1;5D", "\x1b[3;5~", "\x1b[1;2P", "\x1bOM",
    "\x1b[<0;10;5M", "\x1b[<0;10;5m", "\x1b[<0;3;2M", "\x1b[<0;3;2m", "\x1b[<64;20;8M", "\x1b[<65;20;8M",
    "\x1b[<2;50;12M", "\x1b[<32;40;9M", "\x1b[<35;1;1M", "\x1b[M !!", "\x1b[M`++", "\x1b[Ma55", "\x1b[I", "\x1b[O",
    "\x1b[200~pasted text\x1b[201~", "\x1b[200~", "\x1b[201~", "\x1b[12;40R", "\x1b[?1;2c", "\x1b[>0;276;0c",
    "\x1b]0;title\x07", "\x1b]52;c;aGVsbG8=\x07", "\x1b]11;rgb:0000/0000/0000\x1b\\", "\x1bP1$r0m\x1b\\",
    "\x1bx", "\x1bj", "\x1b\r", "\x1b\x7f", "\x1b\x1b", "\x1b[", "\x1bc", "\x9b" + "A",
]
TRUNCATED_SEQUENCES = ["\x1b", "\x1b[", "\x1b[1", "\x1b[1;", "\x1b[1;5", "\x1bO", "\x1b[<", "\x1b[<0;", "\x1b[<0;10",
                       "\x1b[<0;10;5", "\x1b[M", "\x1b[M ", "\x1b[200", "\x1b[20", "\x1b]", "\x1b]0;ti", "\x1bP",
                       "\x1b[?", "\x1b[>", "\x1b[3", "\x1b[15"]
HUGE = ["\x1b[99999999999999999999;99999999999999999999H", "\x1b[4294967296A", "\x1b[18446744073709551616~",
        "\x1b[<99999999;99999999;99999999M", "\x1b[<4294967295;2147483648;2147483648m", "\x1b[-1;-1H",
        "\x1b[" + "1;" * 300 + "1~", "\x1b[" + "9" * 500 + "B", "\x1b[<0;" + "7" * 60 + ";5M", "\x1b]" + "x" * 300 + "\x07"]


def token(rng, text_heavy):
    """One random piece of input, as bytes."""
    r = rng.random()
    if r < (0.45 if text_heavy else 0.2):
        return "".join(rng.choice(PRINTABLE) for _ in range(rng.randint(1, 8))).encode()
    if r < (0.55 if text_heavy else 0.45):
        return rng.choice(COMMAND_KEYS).encode()
    if r < 0.65:
        return rng.choice(UNICODE).encode("utf-8", "surrogatepass")
    if r < 0.72:
        return rng.choice(INVALID_UTF8)
    if r < 0.79:
        return bytes([rng.choice([b for b in list(range(0x20)) + [0x7f] if b not in FORBIDDEN])])
    if r < 0.91:
        return rng.choice(COMPLETE_SEQUENCES).encode("latin-1")
    if r < 0.98:
        return rng.choice(TRUNCATED_SEQUENCES).encode()
    return rng.choice(HUGE).encode()


def chunk(rng, text_heavy):
    """1 to 64 bytes of random input (or one longer sequence) without a quit or stop key."""
    size = rng.randint(1, 64)
    data = token(rng, text_heavy)
    if len(data) < size:                 # a long sequence (huge numbers, OSC) goes whole
        while len(data) < size:
            data += token(rng, text_heavy)
        data = data[:size]
    return bytes(b for b in data if b not in FORBIDDEN)


class Screen(TermScreen):
    """pyte keeps the empty right half of a wide character that a narrow one later
    overwrote (a terminal clears both halves) and then fails to render the line; such a
    leftover half reads as a blank here."""

    @property
    def display(self):
        lines = []
        for y in range(self.lines):
            line, x = self.buffer[y], 0
            cells = []
            while x < self.columns:
                data = line[x].data or " "
                cells.append(data)
                x += 2 if wcwidth(data[0]) == 2 else 1
            lines.append("".join(cells))
        return lines


def footer(tui):
    return tui.screen.display[-1]


def at_list(tui):
    d = tui.screen.display
    return footer(tui).startswith(" ↵ detail") and "NAME" in d[1] and "STATUS" in d[1] and "┌" not in tui.text()


def to_list(tui, timeout=20):
    """Back to the plain list from wherever the random keys left podtui: Esc closes what is
    open, `y` confirms throwing away a form, a key closes help and the F2 box. Fails when
    podtui stops answering."""
    end = time.time() + timeout
    while time.time() < end:
        assert tui.proc.poll() is None, f"podtui exited with {tui.proc.poll()}"
        tui.pump(0.08)
        text = tui.text()
        if at_list(tui):
            tui.send("/", settle=0.03)     # clear a committed filter: `/` then Esc
            tui.send(ESC, settle=0.08)
            if at_list(tui):
                return
        elif "Discard this form?" in text:
            tui.send("y", settle=0)
        elif "any key closes" in text or footer(tui).startswith(" any key"):
            tui.send(" ", settle=0)
        else:
            tui.send(ESC, settle=0)
    raise AssertionError(f"podtui did not get back to the list within {timeout} s (hung?); screen:\n{tui.text()}")


def enter(tui, keys, marker, timeout=10):
    """Types `keys` from the list and waits until `marker(screen)` holds."""
    for k in keys:
        tui.send(k, settle=0.05)
    tui.wait_for(marker, timeout=timeout, what=f"mode after {keys!r}")


# name, keys from the list (typed one group at a time), how the screen shows the mode,
# how many chunks before entering it again (help: `?` before every chunk too), whether the
# stream is mostly text.
MODES = [
    ("list", [], lambda t: True, 16, False),
    ("detail", ["\r"], lambda t: "Pod detail" in t, 16, False),
    ("help", ["?"], lambda t: "any key closes" in t, 16, False),
    ("form", ["n"], lambda t: "New pod" in t and "Name" in t, 16, True),
    ("gpu-picker", ["n", "\t\t", "\r"], lambda t: "a-z narrow" in t, 12, True),
    ("regions-picker", ["n", "\t\t\t\t", "\r"], lambda t: "space toggle" in t, 12, True),
    ("credential-picker", ["n", "\t" * 13, "\r"], lambda t: "Registry credential ─" in t, 12, True),
    ("filter", ["/"], lambda t: "keep filter" in t, 16, True),
    ("command", [":"], lambda t: "Tab complete" in t, 16, True),
    ("gpus", [":gpus\r"], lambda t: "GPU types · regions" in t, 16, False),
    ("events", [":events\r"], lambda t: "Events (" in t, 16, False),
]


@pytest.fixture
def sim():
    s = Sim(speed=1, scenario="demo", pods=60)
    # Every mutation the random keys confirm fails: the fleet stays, the error paths run.
    for method in ("POST", "DELETE"):
        s.fault("http500", method=method, path="/v2/")
    yield s
    s.stop()


@pytest.fixture
def ssh_stub(tmp_path):
    stub = tmp_path / "ssh"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(stat.S_IRWXU)
    return str(tmp_path)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])   # utime + stime


def test_random_bytes_in_every_mode_never_crash_or_hang(sim, ssh_stub):
    tui = TUI(sim, cols=100, rows=30, extra_env={"PATH": ssh_stub + ":" + os.environ["PATH"]})
    tui.screen = Screen(100, 30)
    tui.stream = TermStream(tui.screen)
    sent = []                                    # the last chunks, for the failure message
    try:
        tui.wait_text("updated", timeout=20)
        per_mode = max(200, TOTAL_BYTES // len(MODES))
        for index, (name, keys, marker, every, text_heavy) in enumerate(MODES):
            seed = BASE_SEED * 1000 + index
            rng = random.Random(seed)
            written = chunks = 0
            mode_start = time.time()
            try:
                while written < per_mode:
                    if chunks % every == 0:
                        to_list(tui)
                        enter(tui, keys, marker)
                    elif name == "help":
                        os.write(tui.master, b"?")   # any key closed it: open it again
                    data = chunk(rng, text_heavy)
                    sent.append(data)
                    del sent[:-12]
                    os.write(tui.master, data)
                    written += len(data)
                    chunks += 1
                    tui.pump(rng.choice((0.002, 0.005, 0.01, 0.03)))
                    if chunks % 16 == 0:
                        assert tui.proc.poll() is None, f"podtui exited with {tui.proc.poll()}"
                # Alive, back to the list, help opens and closes, the header is drawn.
                assert tui.proc.poll() is None, f"podtui exited with {tui.proc.poll()}"
                assert tui.state() not in ("T", "Z", None), tui.state()
                to_list(tui)
                tui.send("?", settle=0)
                tui.wait_text("any key closes")
                tui.send("x", settle=0)
                tui.wait_for(lambda t: "any key closes" not in t, what="help closed")
                tui.wait_for(lambda t: t.startswith(" podtui · ") and "updated" in tui.screen.display[0],
                             what="the header")
            except AssertionError as error:
                raise AssertionError(f"mode {name} (seed {seed}, {written} bytes in {chunks} chunks); "
                                     f"last chunks: {sent!r}\n{error}") from None
            if os.environ.get("PODTUI_FUZZ_VERBOSE"):
                print(f"{name}: {written} bytes in {chunks} chunks, {time.time() - mode_start:.1f} s")

        # Not spinning: idle for a second it uses well under half a CPU.
        before, start = cpu_ticks(tui.pid), time.time()
        tui.pump(1.0)
        used = (cpu_ticks(tui.pid) - before) / os.sysconf("SC_CLK_TCK") / (time.time() - start)
        assert used < 0.5, f"podtui uses {used:.0%} of a CPU while idle"
        tui.send("q", settle=0)
        assert tui.wait_exit(timeout=10) == 0
        assert tui.termios_restored()
        assert mode_problems(tui.raw) == []
        # What podtui drew is valid UTF-8: invalid input is never echoed. Only its own screen
        # sessions count: while `s` runs the stub ssh the terminal is cooked and the pty
        # itself echoes what the test types.
        for session in re.findall(rb"\x1b\[\?1049h(.*?)(?:\x1b\[\?1049l|$)", bytes(tui.raw), re.S):
            try:
                session.decode("utf-8")
            except UnicodeDecodeError as error:
                raise AssertionError(f"podtui wrote invalid UTF-8 ({error.reason}): "
                                     f"{session[max(0, error.start - 120):error.end + 60]!r}") from None
        crashes = [line for line in tui.log().splitlines() if any(w in line.lower() for w in ("fatal", "crash"))]
        assert crashes == []
    finally:
        tui.close()


PROBE = {"id": 4242, "name": "aaa-probe", "status": "RUNNING", "gpuType": "NVIDIA_H100_80G"}


def test_cut_short_mouse_report_does_not_freeze_the_ui(sim):
    """Half an escape sequence must time out like any other: podtui keeps drawing what its
    polls bring and the next key a second later does what it says."""
    tui = TUI(sim, cols=100, rows=30)
    try:
        tui.wait_text("updated", timeout=20)
        tui.send("g")
        first = tui.selected_line().split()[0]    # "▸name"
        os.write(tui.master, b"\x1b[<0;10")
        tui.pump(0.5)
        sim.call("POST", "/_sim/pods", [PROBE])
        tui.wait_text(PROBE["name"], timeout=5)   # still drawing: the new pod shows (sorted first)
        tui.send("g", settle=0.5)                  # and the keys typed next work
        assert tui.selected_line().split()[0] == "▸" + PROBE["name"]
        tui.send("j", settle=0.5)
        assert tui.selected_line().split()[0] == first
    finally:
        tui.close()

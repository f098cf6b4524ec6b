"""End-to-end: `podtui --demo` runs the simulator as a child `podtui-sim` process.

The child is reached over HTTP like a real account, never holds the key in its arguments or
environment, stays out of the terminal's process group, and is gone once podtui is, however
podtui ends: q, SIGTERM, SIGHUP, SIGINT or SIGKILL (a crash closes the same pipe)."""
import os
import signal
import time

import pytest

from harness import BINARY, TUI, process_state


class NoSim:
    """The demo needs no external simulator; TUI only reads `url` for YOTTA_BASE_URL."""
    url = "http://127.0.0.1:9"


def sim_children(parent):
    """pids of the podtui-sim processes whose parent is `parent`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if comm == "podtui-sim" and int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(entry))
    return found


def gone(pid):
    return process_state(pid) in (None, "Z")


def start_demo():
    tui = TUI(NoSim(), argv=[BINARY, "--demo", "--demo-speed", "20", "--interval", "1"])
    tui.wait_text("llama-ft-7", timeout=20)
    children = sim_children(tui.pid)
    assert len(children) == 1, children
    return tui, children[0]


def test_demo_runs_a_child_simulator_that_holds_no_secret():
    tui, child = start_demo()
    try:
        assert "demo simulator" in tui.text()
        with open(f"/proc/{child}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        assert any(a.endswith(b"/podtui-sim") for a in argv[:1]), argv
        assert not any(a.startswith(b"demo-") for a in argv), argv       # the key is not an argument
        with open(f"/proc/{child}/environ", "rb") as f:
            environ = f.read()
        assert b"YOTTA_" not in environ
        assert b"demo-" not in environ
        # Its own process group: the terminal's signals (a hangup, a Ctrl-C in cooked mode)
        # are podtui's to handle.
        assert os.getpgid(child) != os.getpgid(tui.pid)
        # Its stdin, stdout and stderr are not the terminal, so it can never draw over curses.
        for fd in (0, 1, 2):
            assert not os.readlink(f"/proc/{child}/fd/{fd}").startswith("/dev/pts"), fd
        tui.send("q")
        assert tui.wait_exit() == 0
        end = time.time() + 3
        while not gone(child) and time.time() < end:
            time.sleep(0.05)
        assert gone(child), "podtui-sim outlived podtui after q"
    finally:
        tui.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"])
def test_demo_simulator_ends_with_podtui(sig):
    tui, child = start_demo()
    try:
        tui.kill(sig)
        tui.wait_exit()
        end = time.time() + 5
        while not gone(child) and time.time() < end:
            time.sleep(0.05)
        assert gone(child), f"podtui-sim outlived podtui after {sig.name}"
        if sig != signal.SIGKILL:
            assert tui.termios_restored()
    finally:
        tui.close()


def test_ui_process_maps_no_full_foundation_or_icu():
    """The UI binary uses FoundationEssentials only: neither libFoundation,
    libFoundationInternationalization nor ICU is mapped in a running podtui."""
    tui, _ = start_demo()
    try:
        with open(f"/proc/{tui.pid}/maps") as f:
            maps = f.read()
        libs = {line.split()[-1].rsplit("/", 1)[-1] for line in maps.splitlines() if ".so" in line}
        heavy = sorted(lib for lib in libs
                       if lib.startswith(("libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU",
                                          "libFoundationNetworking", "libFoundationXML", "libicu")))
        assert heavy == [], heavy
    finally:
        tui.send("q")
        tui.close()

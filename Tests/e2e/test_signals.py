"""End-to-end: signals, job control and crashes give the terminal back.

After each way of ending or stopping podtui the pty's termios must be as before start and
the bytes podtui wrote must leave the alternate screen, show the cursor and turn keypad
mode (and any mouse mode) off: `harness.mode_problems` checks the byte stream.
"""
import signal
import time

import pytest

from harness import Sim, TUI, mode_problems, mode_states


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


def started(sim, **kwargs):
    t = TUI(sim, **kwargs)
    t.wait_text("llama-ft-7")
    return t


def wait_state(tui, wanted, timeout=3):
    end = time.time() + timeout
    while time.time() < end:
        tui.pump(0.05)
        if tui.state() in wanted:
            return
    raise AssertionError(f"process state {tui.state()!r}, wanted one of {wanted!r}")


def wait_full_redraw(tui):
    """The screen was wiped here; podtui must paint all of it again: header, column titles,
    rows and footer, not only the cells that changed since the last frame."""
    tui.wait_for(lambda t: t.lstrip().startswith("podtui") and "STATUS" in t and "llama-ft-7" in t
                 and "quit" in tui.screen.display[-1], what="a full redraw")


# SIGTERM, SIGHUP and SIGINT used to be checked in test_tui.py for termios and the alternate
# screen only; here all four terminating signals are checked for every mode and the log.
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT],
                         ids=lambda s: s.name)
def test_terminating_signal_restores_everything(sim, sig):
    tui = started(sim)
    try:
        tui.send("\r")                   # in the detail pane, not just the list
        tui.wait_text("ID")
        tui.kill(sig)
        assert tui.wait_exit() == 128 + sig
        assert tui.termios_restored()
        assert mode_problems(tui.raw) == []
        assert f"UI stopped by signal {int(sig)}" in tui.log()
    finally:
        tui.close()


def test_sigpipe_is_ignored(sim):
    tui = started(sim)
    try:
        tui.kill(signal.SIGPIPE)
        tui.pump(0.5)
        assert tui.proc.poll() is None, "SIGPIPE killed podtui"
        tui.send("?")                    # still answers keys
        tui.wait_text("Keys")
        tui.send(" ")
        tui.send("q")
        assert tui.wait_exit() == 0
        assert tui.termios_restored() and mode_problems(tui.raw) == []
    finally:
        tui.close()


def stop_and_continue(tui, stop):
    """`stop()` must stop podtui with the terminal given back; SIGCONT must bring the whole
    screen back and the keys with it."""
    stop()
    wait_state(tui, ("T",))
    tui.pump(0.2)
    assert tui.termios_restored(), "terminal still in curses mode while stopped"
    assert mode_problems(tui.raw) == [], "screen modes still on while stopped"
    tui.screen.reset()                   # what a shell prints meanwhile; forget the old frame
    tui.kill(signal.SIGCONT)
    wait_state(tui, ("S", "R"))
    wait_full_redraw(tui)
    assert not tui.termios_restored(), "curses mode not re-entered after SIGCONT"
    tui.send("?")
    tui.wait_text("Keys")
    tui.send(" ")
    tui.send("q")
    assert tui.wait_exit() == 0
    assert tui.termios_restored() and mode_problems(tui.raw) == []


def test_sigtstp_from_outside_stops_and_sigcont_redraws(sim):
    tui = started(sim, job_control=True)
    try:
        stop_and_continue(tui, lambda: tui.kill(signal.SIGTSTP))
    finally:
        tui.close()


def test_ctrl_z_stops_and_sigcont_redraws(sim):
    tui = started(sim, job_control=True)
    try:
        stop_and_continue(tui, lambda: tui.send("\x1a"))
    finally:
        tui.close()


def test_crash_restores_the_terminal(sim, tmp_path):
    """A deliberate crash (debug builds: PODTUI_TEST_CRASH_AFTER_MS) with the create form open
    and mouse reporting on: the crash handler must give everything back, mouse included."""
    (tmp_path / "podtui").mkdir(mode=0o700)
    (tmp_path / "podtui" / "config.yaml").write_text("ui:\n  mouse: true\n")
    (tmp_path / "podtui" / "config.yaml").chmod(0o600)
    tui = started(sim, extra_env={"PODTUI_TEST_CRASH_AFTER_MS": "1500", "XDG_CONFIG_HOME": str(tmp_path)})
    try:
        tui.send("n")
        tui.wait_text("New pod")
        assert mode_states(tui.raw).get("1000") == "h"   # mouse reporting is on
        code = tui.wait_exit(timeout=20)                   # the Swift backtracer takes a few seconds
        assert code < 0 and -code in (signal.SIGILL, signal.SIGTRAP, signal.SIGABRT), code
        assert tui.termios_restored()
        assert mode_problems(tui.raw) == []
        # The crash report (Swift's backtracer) lands on the normal screen, after the restore,
        # where it can be read.
        raw = bytes(tui.raw)
        assert raw.find(b"crashed", raw.rfind(b"\x1b[?1049l")) > 0
    finally:
        tui.close()

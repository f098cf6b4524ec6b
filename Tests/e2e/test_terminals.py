"""End-to-end: terminals podtui cannot draw on are refused with one clear line, not garbage.

TERM=dumb, a terminfo entry without `cup` (compiled here with tic) and an unknown TERM all
get the same message form and exit status 2, with no escape sequence written and the tty
modes untouched."""
import os
import shutil
import subprocess
import tempfile

import pytest

from harness import Sim, TUI


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def terminfo_without_cup():
    """A private terminfo directory holding `podtui-nocup`: a terminal that can clear and
    ring the bell but not address the cursor."""
    if shutil.which("tic") is None:
        pytest.skip("tic (ncurses-bin) is not installed")
    folder = tempfile.mkdtemp(prefix="podtui-terminfo-")
    source = os.path.join(folder, "nocup.src")
    with open(source, "w") as f:
        f.write("podtui-nocup|a terminal without cursor addressing,\n\tam, cols#80, lines#24, bel=^G, clear=\\E[H\\E[J, cr=\\r,\n")
    subprocess.run(["tic", "-x", "-o", folder, source], check=True, capture_output=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("case", ["dumb", "no-cup", "unknown"])
def test_terminal_that_cannot_address_the_cursor_is_refused(sim, terminfo_without_cup, case):
    env = {"dumb": {"TERM": "dumb"},
           "no-cup": {"TERM": "podtui-nocup", "TERMINFO": terminfo_without_cup},
           "unknown": {"TERM": "podtui-no-such-terminal"}}[case]
    tui = TUI(sim, extra_env=env)
    try:
        code = tui.wait_exit(timeout=10)
        out = bytes(tui.raw).decode("utf-8", "replace")
        assert code == 2, out
        assert "podtui's UI needs a terminal" in out
        assert env["TERM"] in out
        expected = "is not known to ncurses" if case == "unknown" else "cannot move the cursor"
        assert expected in out
        assert "\x1b" not in out, repr(out)        # not a single escape sequence
        assert tui.termios_restored()
    finally:
        tui.close()

"""End-to-end: `podtui doctor` in a real terminal (issue 30).

What the Swift tests cannot see with a pipe for output: the window size check on a pty, and
that each of the three problems a user most often meets (no key, an API that does not answer,
a terminal podtui cannot draw on) is explained on one screen, the ✗ line with its fix, the
report's first line still there at the end, and exit status 1.
"""
import re
import tempfile

import pytest

from harness import BINARY, KEY, Sim, TUI, free_port


@pytest.fixture
def sim():
    s = Sim(speed=1)
    yield s
    s.stop()


def doctor(sim, cols=80, rows=24, env=None, args=()):
    """Runs podtui doctor on a pty until it exits: (exit status, screen text, raw bytes)."""
    home = tempfile.mkdtemp(prefix="podtui-e2e-home-")
    # A home of its own: no ssh keys or agent of this machine's decide the outcome.
    extra = {"HOME": home, "SSH_AUTH_SOCK": None, "LC_ALL": None, "LC_CTYPE": None}
    extra.update(env or {})
    tui = TUI(sim, cols=cols, rows=rows, extra_env=extra, argv=[BINARY, "doctor", *args])
    try:
        code = tui.wait_exit(timeout=15)
        return code, tui.text(), bytes(tui.raw)
    finally:
        tui.close()


def test_size_is_checked_on_a_terminal(sim):
    code, text, _ = doctor(sim, cols=100, rows=30)
    assert re.search(r"^✓ terminal +size +100×30", text, re.M), text
    assert re.search(r"^✓ api +key accepted", text, re.M), text
    assert re.search(r"^podtui [0-9.]+: no problems found", text, re.M), text
    assert code == 0
    code, _, raw = doctor(sim, cols=30, rows=4)
    # 30×4 is under the UI's 20×5: the screen is too small to show the report, the bytes are not.
    assert re.search(r"✗ terminal +size +30×4: the UI needs".encode(), raw), raw
    assert code == 1


def one_screen(text, failing):
    """The first check is still on the 80×24 screen when doctor ends, and so are the failure,
    its fix and the summary."""
    assert re.match(r". terminal +TERM ", text), f"the start scrolled away:\n{text}"
    assert re.search(r"^✗ " + failing, text, re.M), text
    assert "→ " in text and re.search(r"^podtui [0-9.]+: 1 problem found", text, re.M), text


def test_missing_key_on_one_screen(sim):
    code, text, raw = doctor(sim, env={"YOTTA_API_KEY": None})
    one_screen(text, r"login +key ")
    assert "No API key" in text and "podtui configure" in text
    assert re.search(r"^✓ api +answers +HTTP 401", text, re.M), text
    assert code == 1


def test_unreachable_api_on_one_screen(sim):
    url = f"http://127.0.0.1:{free_port()}"
    code, text, _ = doctor(sim, env={"YOTTA_BASE_URL": url}, args=("--connect-timeout", "1"))
    one_screen(text, r"api +answers ")
    assert "connection refused" in text and "YOTTA_BASE_URL" in text, text
    assert code == 1


def test_broken_terminal_on_one_screen(sim):
    code, text, raw = doctor(sim, env={"TERM": "no-such-term-e2e"})
    one_screen(text, r"terminal +terminfo ")
    assert 'no terminfo entry for "no-such-term-e2e"' in text and "ncurses-term" in text, text
    assert KEY.encode() not in raw
    assert code == 1

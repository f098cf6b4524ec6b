"""End-to-end: podtui asks the terminal for its background (OSC 11) and picks the light or
dark colours; the answer never reaches the key stream, the first frame is not held up, and a
terminal that does not answer gets the dark colours (or what COLORFGBG says)."""
import time

import pytest

from harness import Sim, TUI

QUERY = b"\x1b]11;?"
WHITE = b"\x1b]11;rgb:ffff/ffff/ffff\x07"
BLACK = b"\x1b]11;rgb:0000/0000/0000\x1b\\"
DARK_ACCENT, LIGHT_ACCENT = b"38;5;39m", b"38;5;25m"


@pytest.fixture
def sim():
    s = Sim(speed=1)
    yield s
    s.stop()


def answer_when_asked(tui, reply, timeout=5):
    """Waits for the query in podtui's output, answers it at once, returns when it was seen."""
    end = time.time() + timeout
    while QUERY not in tui.raw:
        assert time.time() < end, "podtui never asked for the background colour"
        tui.pump(0.002)
    seen = time.time()
    if reply:
        import os
        os.write(tui.master, reply)
    return seen


@pytest.mark.parametrize("reply,accent,other", [(WHITE, LIGHT_ACCENT, DARK_ACCENT), (BLACK, DARK_ACCENT, LIGHT_ACCENT)])
def test_answered_query_picks_the_variant(sim, reply, accent, other):
    tui = TUI(sim)
    try:
        answer_when_asked(tui, reply)
        tui.wait_text("llama-ft-7")
        tui.settle()
        since = bytes(tui.raw[tui.raw.find(b"llama-ft-7") - 2000:])
        assert accent in since, since[-400:]
        assert "11;rgb" not in tui.text() and "]11" not in tui.text()
        assert "terminal background" in tui.log()
    finally:
        tui.close()


def test_no_answer_means_dark_and_the_first_frame_is_not_held_up(sim):
    tui = TUI(sim)
    try:
        asked = answer_when_asked(tui, None)
        tui.wait_for(lambda t: "podtui" in t, timeout=5, what="the first frame")
        assert time.time() - asked < 0.5, "the query held up the first frame"
        tui.wait_text("llama-ft-7")
        tui.settle()
        assert DARK_ACCENT in tui.raw and LIGHT_ACCENT not in tui.raw
    finally:
        tui.close()


def test_a_late_answer_switches_once_and_never_becomes_keys(sim):
    tui = TUI(sim)
    try:
        answer_when_asked(tui, None)
        tui.wait_text("llama-ft-7")
        tui.send("/")
        tui.wait_text("keep filter")
        before = len(tui.raw)
        import os
        os.write(tui.master, WHITE)     # long after the 50 ms: it arrives as input
        tui.settle()
        assert "keep filter" in tui.text(), "the late answer closed the filter line (read as Esc)"
        assert "11;rgb" not in tui.text() and "rgb:" not in tui.text(), "the late answer was typed into the filter"
        assert LIGHT_ACCENT in tui.raw[before:], "the colours did not switch to the light variant"
        assert "late" in tui.log()
    finally:
        tui.close()


def test_colorfgbg_is_the_fallback_and_linux_is_not_asked(sim):
    tui = TUI(sim, extra_env={"COLORFGBG": "0;15", "TERM": "linux"})
    try:
        tui.wait_text("llama-ft-7")
        tui.settle()
        assert QUERY not in tui.raw, "the Linux console must not be asked"
    finally:
        tui.close()
    light = TUI(sim, extra_env={"COLORFGBG": "0;15"})
    try:
        answer_when_asked(light, None)
        light.wait_text("llama-ft-7")
        light.settle()
        assert LIGHT_ACCENT in light.raw
    finally:
        light.close()

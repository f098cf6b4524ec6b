"""End-to-end: a terminal reply is never a key (issue 24, review M8). Long after start-up, a
late OSC 11 answer, split over many reads, and other reports a terminal may send (device
attributes, cursor position) arrive while a PAUSED pod is selected: nothing is resumed, nothing
is typed, and Esc and ordinary keys still work afterwards."""
import os
import time

import pytest

from harness import Sim, TUI

QUERY = b"\x1b]11;?"
WHITE = b"\x1b]11;rgb:ffff/ffff/ffff\x07"
BLACK_ST = b"\x1b]11;rgb:0000/0000/0000\x1b\\"
REPORTS = b"\x1b[?64;1;2;6;22c\x1b[12;40R\x1bP>|XTerm(390)\x1b\\"


@pytest.fixture
def sim():
    s = Sim(speed=1)
    yield s
    s.stop()


def resumes(sim, since):
    return [r for r in sim.requests()[since:] if r["method"] == "POST" and r["path"].endswith("/resume")]


def test_late_split_answers_resume_nothing_and_keys_still_work(sim):
    tui = TUI(sim)
    try:
        end = time.time() + 5
        while QUERY not in tui.raw:      # asked, and left unanswered (as over a slow link)
            assert time.time() < end, "podtui never asked for the background colour"
            tui.pump(0.01)
        started = time.time()
        tui.wait_text("bert-sweep-3")
        tui.goto("bert-sweep-3")
        assert "PAUSED" in tui.selected_line()
        while time.time() < started + 6:  # past the 5 s the query waits for its answer
            tui.pump(0.1)
        before = len(sim.requests())
        # One byte per write, with a pause after the Escape longer than curses' ESCDELAY and
        # the loop's wait for a held Escape; then in three pieces; then other reports.
        for i, byte in enumerate(WHITE):
            os.write(tui.master, bytes([byte]))
            tui.pump(0.08 if i == 0 else 0.005)
        for piece in (BLACK_ST[:1], BLACK_ST[1:9], BLACK_ST[9:]):
            os.write(tui.master, piece)
            tui.pump(0.03)
        os.write(tui.master, REPORTS)
        tui.settle()
        # Another list poll or two: a resume would have been sent by now.
        polls = len(sim.requests())
        tui.wait_for(lambda _t: len(sim.requests()) > polls + 1, timeout=10, what="two more polls")
        assert resumes(sim, before) == [], "a terminal reply resumed the paused pod"
        assert "PAUSED" in tui.selected_line() and tui.selected_line().startswith("▸bert-sweep-3")
        text = tui.text()
        assert "rgb" not in text and "ffff" not in text and "XTerm" not in text, text
        # Keys still work: / opens the filter line, Esc alone closes it, g and G move.
        tui.send("/")
        tui.wait_text("keep filter")
        tui.send("\x1b", settle=0.3)
        tui.wait_for(lambda t: "keep filter" not in t, timeout=3, what="Esc closed the filter line")
        seen = set()
        for key in "gG":
            tui.send(key, settle=0.3)
            seen.add(tui.selected_line().split()[0])
        assert len(seen) == 2, seen
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()

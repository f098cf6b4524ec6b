"""End-to-end: the real podtui binary in a pseudo-terminal against `podtui sim`."""
import time

import pytest

from harness import Sim, TUI


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def tui(sim):
    t = TUI(sim)
    yield t
    t.close()


def mutating(requests, verb):
    return [r for r in requests if r["method"] in ("POST", "DELETE") and (verb is None or r["path"].endswith(verb) or verb == r["method"])]


def test_list_appears(tui):
    tui.wait_text("llama-ft-7")
    assert "updated" in tui.text()
    assert "RUNNING" in tui.text()


def test_pause_sends_one_request_and_row_moves_to_paused(sim, tui):
    tui.wait_text("jupyter-scratch")
    tui.select("jupyter-scratch")
    tui.send("p")
    tui.wait_for(lambda t: "PAUSED" in tui.selected_line(), timeout=10, what="PAUSED on the row")
    pauses = [r for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/pause")]
    assert len(pauses) == 1


def test_pause_on_paused_pod_is_refused_locally(sim, tui):
    tui.wait_text("bert-sweep-3")
    tui.select("bert-sweep-3")
    tui.send("p")
    tui.wait_text("Pod is PAUSED; pause needs RUNNING")
    assert mutating(sim.requests(), None) == []


def test_delete_asks_and_escape_sends_nothing(sim, tui):
    tui.wait_text("whisper-asr")
    tui.select("whisper-asr")
    tui.send("d")
    tui.wait_text("Delete pod?")
    assert "whisper-asr" in tui.text()
    tui.send("\x1b")
    tui.wait_text("Delete cancelled")
    tui.send("d")
    tui.wait_text("Delete pod?")
    tui.send("\r")   # Enter picks the focused button, which is Cancel
    tui.wait_text("Delete cancelled")
    sim.wait_polls(1)   # a full loop after the cancel: nothing was sent
    assert mutating(sim.requests(), None) == []
    tui.send("d")
    tui.wait_text("Delete pod?")
    tui.send("y")
    tui.wait_for(lambda t: any(r["method"] == "DELETE" for r in sim.requests()), what="DELETE request")
    deletes = [r for r in sim.requests() if r["method"] == "DELETE"]
    assert len(deletes) == 1


def test_resize_to_40x10_keeps_working(tui):
    tui.wait_text("llama-ft-7")
    tui.set_size(40, 10)
    tui.wait_for(lambda t: len(tui.screen.display[0]) == 40 and "podtui" in t, what="redraw at 40x10")
    tui.send("j")
    assert tui.proc.poll() is None
    assert any(line.startswith("▸") for line in tui.screen.display)
    tui.set_size(120, 40)
    tui.wait_text("REGION")


# SIGTERM, SIGHUP, SIGINT and SIGQUIT: test_signals.py.


def test_quit_key_restores_the_terminal(tui):
    tui.wait_text("llama-ft-7")
    tui.send("q")
    assert tui.wait_exit() == 0
    assert tui.termios_restored()
    tui2_raw = bytes(tui.raw)
    assert tui2_raw.rfind(b"\x1b[?25h") > tui2_raw.rfind(b"\x1b[?25l")   # cursor visible again


def test_hostile_pod_name_never_reaches_the_terminal(sim):
    evil = "evil\x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\x1b[2Jx\u202eyz\x9b31m"
    sim.call("POST", "/_sim/pods", [{"id": 9007199254740993, "name": evil, "status": "RUNNING", "gpuType": "NVIDIA_H100_80G",
                                     "image": "img\x1b[5m", "sshCmd": "ssh \x07root@h"}])
    t = TUI(sim)
    try:
        t.wait_text("evil")
        t.select("evil")
        t.send("\r")
        t.wait_text("9007199254740993")   # id exact (above 2^53)
        raw = bytes(t.raw)
        for needle in (b"\x1b]52", b"\x1b]0;pwned", b"\x07", b"\x1b[5m", "\u202e".encode(), b"\xc2\x9b"):
            assert needle not in raw, needle
    finally:
        t.close()


def test_ui_loop_runs_on_the_main_thread(tui):
    tui.wait_text("llama-ft-7")
    assert "UI loop on the main thread: true" in tui.log(), tui.log()
    # And the thread that waits in poll() for keys is the main thread (tid == pid).
    seen = []
    for _ in range(20):
        with open(f"/proc/{tui.pid}/task/{tui.pid}/wchan") as f:
            seen.append(f.read().strip())
        if "poll" in seen[-1]:
            break
        time.sleep(0.05)
    assert "poll" in seen[-1], seen

"""End-to-end: API metrics in the TUI, the real binary in a pty against `podtui sim` over HTTP.

Without any setting every RUNNING pod's GPU% and VRAM come from the metrics routes; the
detail pane and `M` chart every metric; idle and full-disk pods are flagged; a metrics
outage or a server without the routes leaves the list as fresh as before."""
import re

import pytest

from harness import Sim, TUI

ENTER, ESC = "\r", "\x1b"


def metrics_requests(sim):
    return [r for r in sim.requests() if r["path"].startswith("/v2/metrics/")]


def row(tui, name):
    return next((line for line in tui.text().splitlines() if name in line and "RUNNING" in line), "")


def gpu_cell(tui, name):
    """The GPU% cell of a pod's row: a figure like 95%, or - / … / ?."""
    m = re.search(r"RUNNING\s+\S.*?\s+\d+\s+(\S+)\s+(\S+)\s", row(tui, name))
    return (m.group(1), m.group(2)) if m else (None, None)


@pytest.fixture
def sim():
    s = Sim(speed=0.001)
    yield s
    s.stop()


def test_gpu_and_vram_from_the_api_without_any_setting(sim):
    tui = TUI(sim, cols=150)
    try:
        tui.wait_text("vllm-serve-70b")
        # Within a few seconds of start, with nothing configured.
        tui.wait_for(lambda t: re.match(r"\d+%", gpu_cell(tui, "vllm-serve-70b")[0] or ""), timeout=10,
                     what="GPU% from the API")
        tui.wait_for(lambda t: "/" in (gpu_cell(tui, "vllm-serve-70b")[1] or ""), timeout=15, what="VRAM from the API")
        asked = metrics_requests(sim)
        assert asked, "no metrics request"
        # PAUSED pods are never asked: every pod asked is RUNNING in the simulator.
        statuses = {str(p["id"]): p["status"] for p in sim.call("GET", "/v2/pods")}
        for r in asked:
            pod = r["path"].split("/pods/")[1].split("/")[0]
            assert statuses.get(pod) == "RUNNING", (r["path"], statuses.get(pod))
        # Idle pods are flagged from their history at once, not after 15 minutes.
        tui.wait_for(lambda t: re.search(r"idle \d+h|idle \d+m", t), timeout=30, what="an idle badge")
    finally:
        tui.close()


def test_detail_pane_and_full_screen_charts(sim):
    tui = TUI(sim, cols=140, rows=50)
    try:
        tui.wait_text("vllm-serve-70b")
        tui.goto("vllm-serve-70b")
        tui.send(ENTER)
        tui.wait_text("Pod detail")
        for key in ("gpu util", "vram", "cpu", "memory", "disk"):
            tui.wait_for(lambda t, k=key: re.search(rf"^ {k}\s+\S", t, re.M) and "loading…" not in t.split(k, 1)[1][:40],
                         timeout=20, what=f"{key} charted")
        text = tui.text()
        assert "GPU 3" in text and re.search(r"[▁▂▃▄▅▆▇█]{10}", text)
        assert "last 1h (a point every 30s)" in text
        # A wider window asks again with the finest step the API allows for it.
        tui.send("w")
        tui.wait_text("last 3h (a point every 30s)")
        tui.send(":window 7d" + ENTER)
        tui.wait_text("last 7d (a point every 1h)")
        tui.wait_for(lambda t: any("step=1h" in r.get("query", "") or "step=1h" in r["path"] for r in metrics_requests(sim)),
                     timeout=20, what="a 7-day request at step 1h")
        # M: every metric of the pod, full screen; again: the whole detail pane.
        tui.send("M")
        tui.wait_text("Metrics of vllm-serve-70b")
        assert "image" not in tui.text()
        tui.send(ESC)
        tui.wait_for(lambda t: "Metrics of" not in t and "NAME" in t, what="back to the list")
    finally:
        tui.close()


def test_no_metrics_flag_asks_nothing_and_shows_no_gpu_columns(sim):
    tui = TUI(sim, cols=150, args=("--no-metrics",))
    try:
        tui.wait_text("vllm-serve-70b")
        sim.wait_polls(3)
        assert metrics_requests(sim) == []
        assert "GPU%" not in tui.text()
    finally:
        tui.close()


@pytest.mark.parametrize("quirk", ["metrics=missing", "metrics=10001", "metrics=empty"])
def test_a_server_without_metrics_shows_dashes_and_the_list_stays_fresh(quirk):
    sim = Sim(speed=0.001, quirks=quirk)
    tui = TUI(sim, cols=150)
    try:
        tui.wait_text("vllm-serve-70b")
        tui.wait_for(lambda t: gpu_cell(tui, "vllm-serve-70b")[0] == "-", timeout=15, what="GPU% is -")
        sim.wait_polls(3)
        assert "stale" not in tui.text()
        assert "updated" in tui.text()
    finally:
        tui.close()
        sim.stop()


def test_numbers_as_strings_are_read():
    sim = Sim(speed=0.001, quirks="metrics=strings")
    tui = TUI(sim, cols=150)
    try:
        tui.wait_text("vllm-serve-70b")
        tui.wait_for(lambda t: re.match(r"\d+%", gpu_cell(tui, "vllm-serve-70b")[0] or ""), timeout=15, what="GPU% read from strings")
    finally:
        tui.close()
        sim.stop()


def test_a_metrics_outage_never_makes_the_list_stale_or_slow(sim):
    sim.fault("http503", path="/v2/metrics/")
    tui = TUI(sim, cols=150)
    try:
        tui.wait_text("vllm-serve-70b")
        tui.wait_for(lambda t: metrics_requests(sim), timeout=10, what="a metrics request")
        polls = sim.list_requests()
        sim.wait_polls(4, timeout=20)          # polling goes on at its interval
        assert sim.list_requests() >= polls + 4
        assert "stale" not in tui.text()
        # 5xx backs off for every pod: far fewer metrics requests than polls would allow.
        sent = len(metrics_requests(sim))
        sim.wait_polls(4, timeout=20)
        assert len(metrics_requests(sim)) - sent <= 4
        tui.goto("vllm-serve-70b")
        tui.send(ENTER)
        tui.wait_text("the metrics API failed")
    finally:
        tui.close()


def test_a_full_disk_gets_a_badge_and_an_event(sim):
    tui = TUI(sim, cols=150)
    try:
        tui.wait_text("vllm-serve-70b")
        tui.wait_for(lambda t: re.search(r"disk 9\d%", t), timeout=40, what="a disk-full badge")
        tui.send(":events" + ENTER)
        tui.wait_text("full (")
    finally:
        tui.close()

"""End-to-end: the real binary against a simulator speaking each API dialect Yotta's own
tools show (`podtui sim --quirks …`): nameless and CPU pods, names-only and codes-only status
filters, a reply that never comes, and every way of saying "not found"."""
import json
import tempfile
import os
import subprocess
import time

import pytest

from harness import BINARY, KEY, Sim, TUI


def cli(sim, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="podtui-e2e-config-")})
    return subprocess.run([BINARY, *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.fixture
def sim():
    s = Sim(speed=1, quirks="names=optional,ids=string")
    yield s
    s.stop()


def test_nameless_and_cpu_pods_are_listed_and_paused_by_key(sim):
    truth = sim.call("GET", "/v2/pods")
    nameless = next(p for p in truth if not p.get("name"))
    cpu = next(p for p in truth if p.get("resourceType") == "CPU")
    tui = TUI(sim)
    try:
        tui.wait_text("(unnamed)")
        tui.wait_text("data-prep-cpu")
        tui.settle()
        cpu_row = next(line for line in tui.screen.display if "data-prep-cpu" in line)
        assert " CPU " in cpu_row, cpu_row
        assert "could not be read" not in tui.text()
        # The nameless pod: selectable, paused with one key, exactly one request for its id.
        tui.select("(unnamed)")
        tui.send("p")
        tui.wait_for(lambda t: "PAUS" in tui.selected_line(), what="the unnamed pod pausing")
        tui.select("data-prep-cpu")
        tui.send("p")
        tui.wait_for(lambda t: "PAUS" in tui.selected_line(), what="the CPU pod pausing")
        pauses = [r["path"] for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/pause")]
        assert sorted(pauses) == sorted([f"/v2/pods/{nameless['id']}/pause", f"/v2/pods/{cpu['id']}/pause"])
    finally:
        tui.close()


def test_cli_lists_gets_and_prints_json_for_nameless_and_cpu_pods(sim):
    truth = sim.call("GET", "/v2/pods")
    listed = cli(sim, "pods", "list", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    assert "skipped" not in listed.stderr
    # Exact ids (strings on this server, above 2^53), compared as text so nothing rounds.
    assert sorted(str(p["id"]) for p in json.loads(listed.stdout, parse_int=str)) == sorted(str(p["id"]) for p in truth)
    table = cli(sim, "pods", "list")
    assert "(unnamed)" in table.stdout and "data-prep-cpu" in table.stdout
    nameless = next(p for p in truth if not p.get("name"))
    got = cli(sim, "pods", "get", str(nameless["id"]), "-o", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout, parse_int=str)["name"] is None


@pytest.mark.parametrize("mode", ["names", "codes"])
def test_status_filter_works_with_a_names_only_or_codes_only_server(mode):
    sim = Sim(speed=0.1, quirks=f"status-filter={mode}")   # slow clock: no pod changes status meanwhile
    try:
        paused = {p["name"] for p in sim.call("GET", "/v2/pods") if p["status"] == "PAUSED"}
        # CLI: right answer, exit 0.
        result = cli(sim, "pods", "list", "--status", "PAUSED", "-o", "json")
        assert result.returncode == 0, result.stderr
        assert {p["name"] for p in json.loads(result.stdout)} == paused
        # TUI: the status: filter shows exactly the paused pods and never goes stale.
        tui = TUI(sim)
        try:
            tui.wait_text("llama-ft-7")
            tui.send("/status:paused\r")
            tui.wait_for(lambda t: "llama-ft-7" not in t, what="the filter applied")
            # Several polls with the filter on (the TUI polls every second): wait for them.
            def filtered_polls():
                return sum(1 for r in sim.requests() if r["path"] == "/v2/pods" and "statusList" in r["query"])
            seen = filtered_polls()
            tui.wait_for(lambda t: filtered_polls() >= seen + 3, timeout=15, what="three polls with the filter on")
            tui.settle()
            text = tui.text()
            assert "stale" not in text and "HTTP 400" not in text, text
            rows = [line for line in tui.screen.display if line[:1] in ("▸", " ") and "PAUSED" in line]
            assert {row[1:].split()[0] for row in rows} == paused, text
            refusals = tui.log().count("refused statusList")
            assert refusals <= 1, tui.log()
            # The form that worked is remembered: no names are sent again to a codes-only server.
            queries = [r["query"] for r in sim.requests() if r["path"] == "/v2/pods" and "statusList" in r["query"]]
            rejected = [q for q in queries if ("statusList=PAUSED" in q) == (mode == "codes")]
            assert len(rejected) <= 2, queries   # one from the CLI run, one from the TUI
        finally:
            tui.close()
    finally:
        sim.stop()


def test_a_reply_that_never_comes_is_marked_stale_within_6s():
    sim = Sim(speed=1)
    tui = TUI(sim)
    try:
        tui.wait_text("updated")
        before = len(sim.requests())
        sim.fault("hang", path="/v2/pods", method="GET", count=1)
        # The clock starts when the poll that will hang is sent.
        end = time.time() + 10
        while not any(r["path"] == "/v2/pods" for r in sim.requests()[before:]):
            assert time.time() < end, "no poll after the fault"
            tui.pump(0.05)
        started = time.time()
        tui.wait_text("stale: no reply for", timeout=8)
        assert time.time() - started <= 6.0, time.time() - started
        tui.send("j")   # keys still answered while it waits
        assert "llama-ft-7" in tui.text()
    finally:
        tui.close()
        sim.stop()


@pytest.mark.parametrize("dialect", ["13000", "12000", "10007", "404", "404-plain"])
def test_wait_after_delete_and_get_unknown_in_every_not_found_dialect(dialect):
    sim = Sim(speed=50, quirks=f"not-found={dialect}")
    try:
        pod = next(p for p in sim.call("GET", "/v2/pods") if p["status"] == "RUNNING")
        deleted = cli(sim, "pods", "delete", str(pod["id"]), "--yes")
        assert deleted.returncode == 0, deleted.stderr
        # The pod must be gone from the server (TERMINATING, then TERMINATED for a while).
        end = time.time() + 15
        while any(p["id"] == pod["id"] for p in sim.call("GET", "/v2/pods")):
            assert time.time() < end, "the deleted pod never went away"
            time.sleep(0.05)
        waited = cli(sim, "pods", "wait", str(pod["id"]), "--for", "TERMINATED", "--poll", "0.1", "--wait-timeout", "30")
        assert waited.returncode == 0, waited.stderr
        missing = cli(sim, "pods", "get", "999")
        assert missing.returncode == 1 and "Pod ID not found" in missing.stderr, missing.stderr
    finally:
        sim.stop()


@pytest.mark.parametrize("returns", ["pod", "id", "null"])
def test_create_succeeds_whatever_the_reply_holds_and_is_sent_once(returns):
    sim = Sim(speed=1, quirks=f"create-returns={returns}")
    try:
        result = cli(sim, "pods", "create", "--name", "once", "--image", "ubuntu:22.04", "--gpu-type", "NVIDIA_RTX_4090_24G",
                     "--expose", "8888/HTTP", "-o", "json")
        assert result.returncode == 0, result.stderr
        posts = [r for r in sim.requests() if r["method"] == "POST" and r["path"] == "/v2/pods"]
        assert len(posts) == 1
        assert '"protocol":"http"' in posts[0]["body"]
        if returns != "null":
            assert json.loads(result.stdout)["name"] == "once"
        assert any(p.get("name") == "once" for p in sim.call("GET", "/v2/pods"))
    finally:
        sim.stop()

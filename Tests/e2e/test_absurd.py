"""End-to-end: a fleet whose numbers are absurd (issue 24).

The simulator's `absurd=on` quirk gives every third pod and volume `1e300`, `-1e300`,
`1e19`, `-1`, `0`, `Int64.max`, `"NaN"`, `"inf"` or `1.5` in each numeric field (timestamps,
counts, sizes, prices, ports). podtui must list every one of them, show the absurd field as
unknown, and never trap: not in the TUI (list, sort, detail, raw view), not in the CLI
(`pods list`, `pods get`, `-o json`, `volumes`, `spend`).
"""
import json
import math

import pytest

from harness import KEY, Sim, TUI
from test_storage import CLI


@pytest.fixture(scope="module")
def absurd_sim():
    s = Sim(speed=20, quirks="absurd=on")
    yield s
    s.stop()


def sim_pods(sim):
    """The pods as the simulator serves them (ids and names; the numbers are absurd)."""
    return sim.call("GET", "/v2/pods")


def test_the_simulator_really_sends_absurd_numbers(absurd_sim):
    pods = sim_pods(absurd_sim)
    values = [p.get("createdAt") for p in pods] + [p.get("singleCardPrice") for p in pods] + [p.get("gpuCount") for p in pods]
    assert any(isinstance(v, float) and (math.isinf(v) or abs(v) >= 1e19) for v in values) or 1e300 in values, values
    assert "NaN" in values or "inf" in values, values
    assert 9223372036854775807 in values or -1 in values, values


def test_cli_lists_every_pod_and_survives_json(absurd_sim, tmp_path):
    cli = CLI(absurd_sim, tmp_path)
    expected = {p["id"] for p in sim_pods(absurd_sim)}
    table = cli("pods", "list")
    assert table.returncode == 0, table.stderr
    listed = cli("pods", "list", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    pods = json.loads(listed.stdout)
    assert {p["id"] for p in pods} == expected
    for pod in pods:
        # What podtui passes on is in range or absent: never NaN, inf or a 300-digit number.
        for field in ("singleCardPrice", "gpuCount", "createdAt", "updatedAt", "containerVolumeInGb", "shmInGb"):
            value = pod.get(field)
            if value is not None:
                assert isinstance(value, (int, float)) and math.isfinite(value) and value >= 0, (field, value)
                assert value < 1e15, (field, value)
    wide = cli("pods", "list", "-o", "wide")
    assert wide.returncode == 0, wide.stderr
    for pod in sim_pods(absurd_sim)[:6]:
        for extra in ((), ("-o", "json")):
            got = cli("pods", "get", str(pod["id"]), *extra)
            assert got.returncode == 0, (pod, got.stderr)


def test_cli_volumes_and_spend_survive(absurd_sim, tmp_path):
    cli = CLI(absurd_sim, tmp_path)
    for args in (("volumes", "list"), ("volumes", "list", "-o", "json"), ("volumes", "list", "-o", "wide"),
                 ("spend",), ("spend", "-o", "json"), ("credentials", "list")):
        result = cli(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Fatal error" not in result.stderr
    volumes = json.loads(cli("volumes", "list", "-o", "json").stdout)
    assert len(volumes) >= 5
    one = volumes[0]["id"]
    assert cli("volumes", "get", str(one)).returncode == 0


def test_tui_lists_sorts_and_details_every_absurd_pod(absurd_sim):
    pods = sim_pods(absurd_sim)
    tui = TUI(absurd_sim, cols=160, rows=50)
    try:
        named = [p for p in pods if p.get("name")]
        tui.wait_text(named[0]["name"][:20])
        tui.settle()
        shown = tui.text()
        for pod in named:
            assert pod["name"][:20] in shown, (pod["name"], shown)
        assert shown.count("(unnamed)") >= len(pods) - len(named), shown
        # Every sort, both ways.
        for key in "NSUXRAP$I":
            tui.send(key)
            tui.send(key)
        assert tui.proc.poll() is None
        # The detail pane and the raw view of each absurd pod.
        for pod in [p for p in named if p["id"] % 1000 % 3 == 0][:4]:
            tui.goto(pod["name"][:20])
            tui.send("\r")
            tui.wait_text("history")
            tui.send("y")
            tui.wait_text("singleCardPrice")
            tui.send("\x1b")
            tui.send("\x1b")
            assert tui.proc.poll() is None, tui.text()
        tui.send("q")
        assert tui.wait_exit() == 0
        assert "Fatal error" not in tui.raw.decode(errors="replace")
    finally:
        tui.close()

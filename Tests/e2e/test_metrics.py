"""End-to-end: `podtui pods metrics` against the simulator's metrics routes (issue 26).

The real binary over HTTP: a table of samples with one column per GPU, CSV, and JSON in the
API's own shape with the pod id exact; "not available" (a server without the routes, a CPU
pod's GPU metrics, an unknown pod) exits 1 with the reason; no data yet exits 0.
"""
import json

import pytest

from harness import Sim
from test_storage import CLI


@pytest.fixture(scope="module")
def metrics_sim():
    s = Sim(speed=20)
    yield s
    s.stop()


def running(sim, cpu=False):
    pods = sim.call("GET", "/v2/pods")
    return next(p for p in pods if p["status"] == "RUNNING" and (p.get("gpuType") is None) == cpu)


def test_table_json_and_csv(metrics_sim, tmp_path):
    cli = CLI(metrics_sim, tmp_path)
    pod = running(metrics_sim)
    table = cli("pods", "metrics", str(pod["id"]))
    assert table.returncode == 0, table.stderr
    header = table.stdout.splitlines()[0].split()
    assert header[0] == "TIME" and header[1:] == [x for i in range(pod["gpuCount"]) for x in ("GPU", str(i))], header
    assert all(line.rstrip().endswith("%") for line in table.stdout.splitlines()[1:]), table.stdout
    document = json.loads(cli("pods", "metrics", str(pod["id"]), "--kind", "memory", "--window", "3h", "-o", "json").stdout)
    assert document["pod"] == pod["id"] and document["kind"] == "memory" and document["step"] == "30s"
    assert document["latest_total"] > 0 and document["series"][0]["data_points"], document
    point = document["series"][0]["data_points"][-1]
    assert set(point) == {"timestamp", "value"} and point["timestamp"] > 1_700_000_000_000
    csv = cli("pods", "metrics", str(pod["id"]), "--kind", "gpu-memory", "-o", "csv")
    assert csv.returncode == 0, csv.stderr
    rows = csv.stdout.splitlines()
    assert rows[0].split(",")[0] == "timestamp_ms" and len(rows[0].split(",")) == 1 + pod["gpuCount"], rows[0]
    wide = cli("pods", "metrics", str(pod["id"]), "--kind", "cpu", "--window", "90d", "-o", "json")
    assert wide.returncode == 0 and json.loads(wide.stdout)["step"] == "1d", wide.stderr


def test_not_available_and_no_data(metrics_sim, tmp_path):
    cli = CLI(metrics_sim, tmp_path)
    cpu = running(metrics_sim, cpu=True)
    gpu = cli("pods", "metrics", str(cpu["id"]), "--kind", "gpu")
    assert gpu.returncode == 1 and "no metrics for this pod" in gpu.stderr, gpu.stderr
    assert cli("pods", "metrics", str(cpu["id"]), "--kind", "cpu").returncode == 0
    unknown = cli("pods", "metrics", "999")
    assert unknown.returncode == 1 and "no metrics" in unknown.stderr, unknown.stderr
    paused = next(p for p in metrics_sim.call("GET", "/v2/pods") if p["status"] == "PAUSED")
    quiet = cli("pods", "metrics", str(paused["id"]), "-o", "json")
    assert quiet.returncode == 0 and json.loads(quiet.stdout)["series"] == [], quiet.stderr
    bad = cli("pods", "metrics", str(cpu["id"]), "--window", "5y")
    assert bad.returncode == 2, bad.stderr


@pytest.mark.parametrize("dialect,code", [("missing", 1), ("10001", 1), ("empty", 0), ("strings", 0)])
def test_every_metrics_dialect(dialect, code, tmp_path):
    sim = Sim(speed=20, quirks=f"metrics={dialect}")
    try:
        pod = running(sim)
        result = CLI(sim, tmp_path)("pods", "metrics", str(pod["id"]), "--kind", "storage", "-o", "json")
        assert result.returncode == code, (dialect, result.stderr)
        if dialect == "strings":
            document = json.loads(result.stdout)
            assert isinstance(document["series"][0]["data_points"][0]["value"], float)
            assert document["latest_total"] > 0
    finally:
        sim.stop()

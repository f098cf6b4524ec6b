"""End-to-end (issue 27): a real Prometheus (Debian's `prometheus` package, on loopback)
scrapes `podtui watch --listen` against `podtui sim`, with contrib/prometheus.yml and
contrib/podtui-alerts.yml as shipped (only the intervals shortened and the ports changed):
the simulator's pods appear in Prometheus's query API, the target is up, the alert rules load
and the idle-pod alert goes pending for the simulator's idle pods. Nothing is installed here:
scripts/test installs the prometheus package (a missing binary is a failure, not a skip)."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

from harness import BINARY, KEY, ROOT, Sim, free_port
from test_contrib import page_names

CONTRIB = os.path.join(ROOT, "contrib")


def tool(name):
    path = shutil.which(name)
    assert path, f"{name} not found: install Debian's prometheus package (scripts/test does)"
    return path


class Proc:
    """A child with stdout and stderr in a file (never a pipe that could fill)."""

    def __init__(self, args, env=None, cwd=None):
        self.log = tempfile.NamedTemporaryFile(prefix="podtui-e2e-prom-")
        with open(self.log.name, "ab") as out:
            self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                         start_new_session=True)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.status, reply.headers, reply.read().decode()


def query(prom, expr):
    """The result vector of an instant query, [] while Prometheus cannot answer yet."""
    try:
        _, _, body = get(f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    except OSError:
        return []
    reply = json.loads(body)
    assert reply["status"] == "success", reply
    return reply["data"]["result"]


def wait_for(what, timeout, check, *procs):
    end = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        for p in procs:
            assert p.proc.poll() is None, f"{p.proc.args[0]} exited while waiting for {what}: {p.output()[-3000:]}"
        assert time.time() < end, f"timed out after {timeout} s waiting for {what}: " + \
            "\n".join(p.output()[-2000:] for p in procs)
        time.sleep(0.25)


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


def test_real_prometheus_scrapes_the_watcher(sim):
    prometheus, promtool = tool("prometheus"), tool("promtool")
    tmp = tempfile.mkdtemp(prefix="podtui-e2e-prom-")
    state, config = os.path.join(tmp, "state"), os.path.join(tmp, "config")
    os.makedirs(state)
    os.makedirs(config)
    listen, web = free_port(), free_port()

    # contrib/ as shipped, with a 1 s rhythm and this test's ports.
    with open(os.path.join(CONTRIB, "prometheus.yml")) as f:
        text = f.read()
    assert "127.0.0.1:9465" in text and "scrape_interval: 15s" in text
    text = text.replace("127.0.0.1:9465", f"127.0.0.1:{listen}")
    text = re.sub(r"(scrape_interval|evaluation_interval): 15s", r"\1: 1s", text)
    text = text.replace("scrape_timeout: 10s", "scrape_timeout: 1s")
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        f.write(text)
    shutil.copy(os.path.join(CONTRIB, "podtui-alerts.yml"), tmp)

    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": config,
                "LANG": "C.UTF-8"})
    watch = Proc([BINARY, "watch", "--interval", "1", "--listen", f"127.0.0.1:{listen}"], env=env)
    prom = Proc([prometheus, f"--config.file={tmp}/prometheus.yml", f"--storage.tsdb.path={tmp}/data",
                 f"--web.listen-address=127.0.0.1:{web}"], cwd=tmp)
    url = f"http://127.0.0.1:{web}"
    try:
        # The page itself: served, linted by promtool, and (once GPU figures and idle clocks
        # have come from the metrics API) exactly the names MetricsPage has.
        page = wait_for("a page with every family", 60, lambda: _page_with_every_family(listen), watch)
        lint = subprocess.run([promtool, "check", "metrics"], input=page, capture_output=True, text=True, timeout=30)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        families = set(re.findall(r"^# TYPE (\S+) ", page, re.M))
        assert families == page_names(), families ^ page_names()
        assert "e2e-key" not in page and KEY not in page, "the key on the metrics page"

        # Prometheus sees the target up and every pod of the simulator, each with one status at 1.
        wait_for('up{job="podtui"} == 1', 60, lambda: [r for r in query(url, 'up{job="podtui"}') if r["value"][1] == "1"],
                 watch, prom)

        def all_pods():
            ids = {str(p["id"]) for p in sim.call("GET", "/v2/pods")}
            current = query(url, "yotta_pod_status == 1")
            seen = {r["metric"]["pod_id"] for r in current}
            return ids and ids <= seen and current
        current = wait_for("every simulator pod in yotta_pod_status", 60, all_pods, watch, prom)
        for series in current:
            assert series["metric"]["job"] == "podtui" and series["metric"]["profile"] == "default"
            assert series["metric"]["status"]
        burn = wait_for("the fleet burn", 30, lambda: query(url, "yotta_fleet_burn_dollars_per_hour"), watch, prom)
        assert float(burn[0]["value"][1]) > 0
        fresh = wait_for("a fresh last success", 30,
                         lambda: query(url, "time() - podtui_watch_last_success_timestamp_seconds < 30"), watch, prom)
        assert fresh

        # The shipped rules load, and the simulator's idle pods (idle for about an hour) make
        # PodtuiPodIdle pending (it fires after its `for: 5m`).
        _, _, body = get(f"{url}/api/v1/rules")
        groups = {g["name"] for g in json.loads(body)["data"]["groups"]}
        assert {"podtui", "podtui-budget"} <= groups, groups

        def idle_alert():
            _, _, body = get(f"{url}/api/v1/alerts")
            return [a for a in json.loads(body)["data"]["alerts"] if a["labels"]["alertname"] == "PodtuiPodIdle"]
        alerts = wait_for("PodtuiPodIdle pending", 60, idle_alert, watch, prom)
        assert all(a["state"] in ("pending", "firing") and a["labels"]["pod_id"] for a in alerts)
        stale = [a for a in json.loads(get(f"{url}/api/v1/alerts")[2])["data"]["alerts"]
                 if a["labels"]["alertname"] in ("PodtuiWatcherStale", "PodtuiWatcherDown", "PodtuiWatcherAbsent")]
        assert not stale, stale
    finally:
        prom.stop()
        watch.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _page_with_every_family(port):
    try:
        status, headers, body = get(f"http://127.0.0.1:{port}/metrics")
    except OSError:
        return None
    assert status == 200 and headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return body if all(f"\n{name}" in body for name in page_names()) else None

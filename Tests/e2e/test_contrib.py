"""contrib/ (issue 27): the Prometheus scrape config and alert rules pass promtool (syntax, and
unit tests of the alerts on made-up series), and the Grafana dashboard is valid JSON whose
every query names only metrics the watcher's /metrics page writes (read from MetricsPage.swift,
the one list; test_watch_prometheus.py checks a real scrape against the same list)."""
import json
import os
import re
import shutil
import subprocess
import tempfile

from harness import ROOT

CONTRIB = os.path.join(ROOT, "contrib")
PAGE_SOURCE = os.path.join(ROOT, "Sources", "PodWatchRunner", "MetricsPage.swift")
METRIC = re.compile(r"\b((?:yotta|podtui)_[a-z0-9_]+)\b")


def page_names():
    """Every metric name the /metrics page can write: the `Family` cases of MetricsPage."""
    with open(PAGE_SOURCE) as f:
        names = re.findall(r'case \w+ = "((?:yotta|podtui)_[a-z0-9_]+)"', f.read())
    assert len(names) >= 10, names
    return set(names)


def promtool():
    path = shutil.which("promtool")
    # Not a skip: scripts/test installs Debian's prometheus package, which has promtool.
    assert path, "promtool not found: install Debian's prometheus package (scripts/test does)"
    return path


def run(*args, cwd=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def test_promtool_check_config_and_rules():
    out = run(promtool(), "check", "config", os.path.join(CONTRIB, "prometheus.yml"))
    assert "SUCCESS" in out and "1 rule files found" in out, out
    out = run(promtool(), "check", "rules", os.path.join(CONTRIB, "podtui-alerts.yml"))
    assert "SUCCESS" in out, out


def test_rules_use_only_page_names():
    # Every name outside comments (expressions and annotations; promtool has checked the YAML).
    with open(os.path.join(CONTRIB, "podtui-alerts.yml")) as f:
        text = "\n".join(line for line in f.read().splitlines() if not line.lstrip().startswith("#"))
    used = set(METRIC.findall(text))
    assert used, "the rules name no metric"
    assert used <= page_names(), f"not on the page: {used - page_names()}"
    alerts = set(re.findall(r"alert: (\w+)", text))
    assert {"PodtuiPodIdle", "PodtuiOverBudget", "PodtuiWatcherStale", "PodtuiWatcherDown"} <= alerts


# promtool's unit tests for the alerts: series over time, and which alerts are firing when.
RULE_TESTS = """
rule_files:
  - {rules}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'yotta_pod_idle_seconds{{job="podtui",instance="w:9465",pod_id="1",name="idle-one"}}'
        values: '0+60x60'
      - series: 'yotta_pod_status{{job="podtui",instance="w:9465",pod_id="1",name="idle-one",status="RUNNING"}}'
        values: '1x60'
      - series: 'yotta_pod_idle_seconds{{job="podtui",instance="w:9465",pod_id="2",name="paused"}}'
        values: '0+60x60'
      - series: 'yotta_pod_status{{job="podtui",instance="w:9465",pod_id="2",name="paused",status="RUNNING"}}'
        values: '0x60'
      - series: 'yotta_fleet_burn_dollars_per_hour{{job="podtui",instance="w:9465"}}'
        values: '5x10 25x30'
      - series: 'podtui_watch_last_success_timestamp_seconds{{job="podtui",instance="w:9465"}}'
        values: '0+60x20 1200x40'
      - series: 'up{{job="podtui",instance="w:9465"}}'
        values: '1x30 0x30'
      - series: 'podtui_watch_pending_deliveries{{job="podtui",instance="w:9465"}}'
        values: '0x60'
    alert_rule_test:
      # Idle 30 min at minute 30, then `for: 5m`: not yet at 34, firing at 36; never for the
      # pod that is not RUNNING.
      - eval_time: 34m
        alertname: PodtuiPodIdle
        exp_alerts: []
      - eval_time: 36m
        alertname: PodtuiPodIdle
        exp_alerts:
          - exp_labels: {{severity: warning, job: podtui, instance: "w:9465", pod_id: "1", name: idle-one}}
            exp_annotations:
              summary: "Pod idle-one (1) is RUNNING with idle GPUs"
              description: "Every GPU of idle-one has been idle for 36m 0s. Pause it (podtui: p) or give it a `pause when idle` timer."
      # $25/h from minute 11 against the budget of 20, `for: 10m`.
      - eval_time: 15m
        alertname: PodtuiOverBudget
        exp_alerts: []
      - eval_time: 25m
        alertname: PodtuiOverBudget
        exp_alerts:
          - exp_labels: {{severity: warning, job: podtui, instance: "w:9465"}}
            exp_annotations:
              summary: "The fleet burns $25.00/h, over the budget"
              description: "Sum of the RUNNING pods' prices on w:9465 is over podtui:fleet_budget_dollars_per_hour (contrib/podtui-alerts.yml)."
      # Successes until minute 20, then none: stale past 5 min, `for: 2m`.
      - eval_time: 20m
        alertname: PodtuiWatcherStale
        exp_alerts: []
      - eval_time: 30m
        alertname: PodtuiWatcherStale
        exp_alerts:
          - exp_labels: {{severity: critical, job: podtui, instance: "w:9465"}}
            exp_annotations:
              summary: "podtui watch on w:9465 has had no good answer from the Yotta API for 10m 0s"
              description: "Timers, idle pauses and spend are not being watched. Check the watcher's log (journalctl --user -u podtui-watch) and podtui doctor."
      - eval_time: 30m
        alertname: PodtuiWatcherDown
        exp_alerts: []
      - eval_time: 33m
        alertname: PodtuiWatcherDown
        exp_alerts:
          - exp_labels: {{severity: critical, job: podtui, instance: "w:9465"}}
            exp_annotations:
              summary: "Prometheus cannot scrape podtui watch on w:9465"
              description: "The watcher is not running or not listening there (podtui watch --listen). Nothing fires pause timers while no podtui runs."
      - eval_time: 50m
        alertname: PodtuiDeliveriesStuck
        exp_alerts: []
"""


def test_alerts_fire_when_they_should():
    with tempfile.TemporaryDirectory(prefix="podtui-contrib-") as tmp:
        shutil.copy(os.path.join(CONTRIB, "podtui-alerts.yml"), tmp)
        path = os.path.join(tmp, "tests.yml")
        with open(path, "w") as f:
            f.write(RULE_TESTS.format(rules="podtui-alerts.yml"))
        out = run(promtool(), "test", "rules", path, cwd=tmp)
        assert "SUCCESS" in out, out


def test_grafana_dashboard():
    with open(os.path.join(CONTRIB, "grafana-dashboard.json")) as f:
        dashboard = json.load(f)
    assert dashboard["title"] and dashboard["uid"] and isinstance(dashboard["schemaVersion"], int)
    panels = dashboard["panels"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    used = set()
    for panel in panels:
        assert panel["type"] in {"stat", "timeseries", "table"}, panel["type"]
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"} and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            used |= set(METRIC.findall(target["expr"]))
    for variable in dashboard["templating"]["list"]:
        used |= set(METRIC.findall(json.dumps(variable.get("query", ""))))
    assert used <= page_names(), f"the dashboard uses names the page does not write: {used - page_names()}"
    # What the issue asks the dashboard to show.
    for name in ["yotta_fleet_burn_dollars_per_hour", "yotta_spend_observed_dollars_total", "yotta_pod_gpu_utilization_percent",
                 "yotta_pod_idle_seconds", "yotta_pod_status", "podtui_watch_last_success_timestamp_seconds"]:
        assert name in used, name
    assert any(p["type"] == "table" and "yotta_pod_status" in p["targets"][0]["expr"] for p in panels)

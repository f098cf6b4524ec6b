"""End-to-end: pause timers and the spend ledger with the real binary (TUI in a pty, CLI as
a subprocess) against `podtui sim`, sharing one state directory as a user's processes do."""
import json
import os
import signal
import subprocess
import tempfile
import time

import pytest

from harness import BINARY, KEY, Sim, TUI


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def state_dir():
    d = tempfile.mkdtemp(prefix="podtui-e2e-shared-state-")
    yield d


def env_for(sim, state_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_STATE_HOME": state_dir,
                "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="podtui-e2e-config-"), "LANG": "C.UTF-8"})
    return env


def cli(sim, state_dir, *args, timeout=30):
    return subprocess.run([BINARY, *args], env=env_for(sim, state_dir), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, start_new_session=True)


def pauses(sim, pod_id=None):
    return [r for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/pause")
            and (pod_id is None or r["path"] == f"/v2/pods/{pod_id}/pause")]


def running_pod(sim, name=None):
    pods = sim.call("GET", "/v2/pods")
    return next(p for p in pods if p["status"] == "RUNNING" and (name is None or p.get("name") == name))


def test_timer_set_in_the_tui_sends_exactly_one_pause(sim, state_dir):
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        t.wait_text("jupyter-scratch")
        t.goto("jupyter-scratch")
        t.send("t")
        t.wait_text("pause in:")
        t.send("3s\r")
        t.wait_text("Pause jupyter-scratch at")
        assert "⏲" in t.selected_line()
        t.wait_text("Timer: paused jupyter-scratch", timeout=20)
        sim.wait_polls(7)   # seven more polls, so more than one timer reload (every 5 s): still one
        sent = pauses(sim)
        assert len(sent) == 1, sent
        timers = json.loads(cli(sim, state_dir, "timers", "list", "-o", "json").stdout)
        assert [x["state"] for x in timers] == ["done"]
    finally:
        t.close()


def test_a_restart_keeps_a_timer(sim, state_dir):
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        t.wait_text("llama-ft-7")
        t.goto("llama-ft-7")
        t.send("t\t\t\r")   # the second choice: 1h
        t.wait_text("Pause llama-ft-7 at")
    finally:
        t.send("q")
        t.wait_exit()
        t.close()
    again = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        again.wait_text("llama-ft-7")
        again.wait_for(lambda s: any("llama-ft-7 ⏲" in line for line in s.splitlines()), what="the timer on the row")
        again.send("T")
        again.wait_text("Pause timers (1)")
        assert "llama-ft-7" in again.text()
        again.send("x")
        again.wait_text("cancelled")
    finally:
        again.close()
    assert pauses(sim) == []
    assert json.loads(cli(sim, state_dir, "timers", "list", "-o", "json").stdout)[0]["state"] == "cancelled"


def test_a_timer_due_while_closed_fires_at_start_after_saying_so(sim, state_dir):
    pod = running_pod(sim, "vllm-serve-70b")
    added = cli(sim, state_dir, "timers", "add", str(pod["id"]), "1s")
    assert added.returncode == 0, added.stderr
    assert "only while some podtui runs" in added.stderr
    # A real deadline, not a hope: the timer (due after 1 s) must be more than 5 s late, the
    # margin after which podtui calls it "due while closed"; with no podtui running nothing acts.
    time.sleep(7)
    assert pauses(sim) == []
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        t.wait_text("while podtui was closed", timeout=15)
        t.wait_text("Timer: paused vllm-serve-70b", timeout=15)
        assert len(pauses(sim, pod["id"])) == 1
    finally:
        t.close()


def test_timers_run_headless_and_the_tui_never_both_fire_one_timer(sim, state_dir):
    pod = running_pod(sim, "llama-ft-7")
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    runner = subprocess.Popen([BINARY, "timers", "run", "--every", "1"], env=env_for(sim, state_dir),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        t.wait_text("llama-ft-7")
        assert cli(sim, state_dir, "timers", "add", str(pod["id"]), "3s").returncode == 0
        deadline = time.time() + 20
        while time.time() < deadline and not pauses(sim, pod["id"]):
            time.sleep(0.3)
        sim.wait_polls(6)   # the TUI and the runner go round several more times: still one
        assert len(pauses(sim, pod["id"])) == 1, pauses(sim)
    finally:
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=15)
        t.close()
    assert runner.returncode == 0, err
    assert "stopped" in err


def test_spend_json_after_a_pause_and_resume(sim, state_dir):
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        t.wait_text("llama-ft-7")
        t.goto("llama-ft-7")
        time.sleep(2)
        t.send("p")
        t.wait_for(lambda s: "PAUSED" in t.selected_line(), timeout=15, what="PAUSED")
        time.sleep(2)
        t.send("r")
        t.wait_for(lambda s: "RUNNING" in t.selected_line(), timeout=20, what="RUNNING again")
        time.sleep(2)
        detail_cost = t.selected_line()
        assert "≥$" in detail_cost   # it ran before podtui first saw it
        t.send("\r")
        t.wait_text("observed since")
    finally:
        t.send("\x1bq")
        t.wait_exit()
        t.close()
    result = cli(sim, state_dir, "spend", "-o", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pod = next(p for p in report["pods"] if p["name"] == "llama-ft-7")
    assert isinstance(pod["id"], int) and pod["id"] == running_pod(sim, "llama-ft-7")["id"]
    assert pod["complete"] is False
    assert 2 <= pod["runningSeconds"] < 120
    assert pod["cost"] > 0
    # Paused time is not billed: 8 × $2.40/h over the RUNNING seconds only.
    assert abs(pod["cost"] - pod["runningSeconds"] * 19.2 / 3600) < 0.01
    assert abs(report["total"] - sum(p["cost"] for p in report["pods"])) < 0.001
    table = cli(sim, state_dir, "spend")
    assert "llama-ft-7" in table.stdout and "total ≥$" in table.stdout


def test_pods_create_from_a_template_fills_secrets_from_the_environment(sim, state_dir):
    config = tempfile.mkdtemp(prefix="podtui-e2e-config-")
    os.makedirs(os.path.join(config, "podtui", "templates"))
    with open(os.path.join(config, "podtui", "templates", "nightly.json"), "w") as f:
        json.dump({"name": "nightly", "image": "ubuntu:22.04", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1,
                   "environmentVars": [{"key": "HF_TOKEN", "value": "$HF_TOKEN"}, {"key": "EPOCHS", "value": "3"}]}, f)
    env = env_for(sim, state_dir)
    env["XDG_CONFIG_HOME"] = config
    env.pop("HF_TOKEN", None)
    refused = subprocess.run([BINARY, "pods", "create", "--template", "nightly"], env=env, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2 and "HF_TOKEN" in refused.stderr, refused.stderr
    env["HF_TOKEN"] = "hf_from_env_value"
    made = subprocess.run([BINARY, "pods", "create", "--template", "nightly", "--name", "nightly-2", "--env", "EPOCHS=5", "-o", "json"],
                          env=env, capture_output=True, text=True, timeout=30)
    assert made.returncode == 0, made.stderr
    [post] = [r for r in sim.requests() if r["method"] == "POST" and r["path"] == "/v2/pods"]
    body = json.loads(post["body"])
    assert body["name"] == "nightly-2"
    assert body["environmentVars"] == [{"key": "HF_TOKEN", "value": "hf_from_env_value"}, {"key": "EPOCHS", "value": "5"}]
    missing = subprocess.run([BINARY, "pods", "create", "--template", "nope"], env=env, capture_output=True, text=True, timeout=30)
    assert missing.returncode == 2 and "nightly" in missing.stderr

"""End-to-end (issue 24, M5): a pause timer belongs to the endpoint and profile it was set
for. A TUI or `timers run` on the simulator never claims, fires or marks gone a timer of the
real API (one written before timers had owners, or one naming another endpoint), and the
simulator's pods go to their own ledger file, not the account's `ledger.jsonl`."""
import json
import os
import signal
import subprocess

from harness import BINARY, TUI
from test_spend_timers import cli, env_for, pauses, running_pod, sim, state_dir  # noqa: F401 (fixtures)


def write_foreign_timers(state_dir, pod_id):
    """timers.json with two due timers for a pod the simulator has: one from before owners
    (the production API's), one set on a staging endpoint."""
    directory = os.path.join(state_dir, "podtui")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    timers = [
        {"podID": pod_id, "name": "prod-pod", "due": 1_000, "created": 0, "state": "pending"},
        {"podID": pod_id, "name": "staging-pod", "due": 1_000, "created": 0, "state": "pending",
         "endpoint": "https://staging.example", "profile": "staging"},
    ]
    with open(os.path.join(directory, "timers.json"), "w") as f:
        json.dump({"timers": timers}, f)
    return os.path.join(directory, "timers.json")


def test_the_simulator_never_touches_the_accounts_timers(sim, state_dir):
    target = running_pod(sim, "llama-ft-7")
    own = running_pod(sim, "vllm-serve-70b")
    path = write_foreign_timers(state_dir, target["id"])
    # A timer of the simulator's own, due at once: when it has fired, the TUI has read and
    # acted on the file, foreign timers included.
    assert cli(sim, state_dir, "timers", "add", str(own["id"]), "1s").returncode == 0
    t = TUI(sim, extra_env={"XDG_STATE_HOME": state_dir})
    try:
        t.wait_for(lambda _: len(pauses(sim, own["id"])) == 1, timeout=20, what="the simulator's own timer fired")
        assert "prod-pod" not in t.text() and "staging-pod" not in t.text()
    finally:
        t.close()
    with open(path) as f:
        timers = json.load(f)["timers"]
    others = [x for x in timers if x["podID"] == target["id"]]
    assert len(others) == 2 and all(x["state"] == "pending" and "claimedBy" not in x for x in others), others
    assert pauses(sim, target["id"]) == []
    # The simulator's spend went to its own ledger; the account's is untouched.
    files = os.listdir(os.path.dirname(path))
    assert "ledger.jsonl" not in files, files
    assert any(name.startswith("ledger-127.0.0.1_") and name.endswith(".jsonl") for name in files), files


def test_timers_run_on_the_simulator_leaves_them_too(sim, state_dir):
    target = running_pod(sim, "llama-ft-7")
    own = running_pod(sim, "vllm-serve-70b")
    path = write_foreign_timers(state_dir, target["id"])
    assert cli(sim, state_dir, "timers", "add", str(own["id"]), "1s").returncode == 0
    runner = subprocess.Popen([BINARY, "timers", "run", "--every", "1"], env=env_for(sim, state_dir),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = runner.stdout.readline()   # the simulator's own timer, fired
        assert f"{own['id']}: paused" in line, line
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.communicate(timeout=15)
    with open(path) as f:
        others = [x for x in json.load(f)["timers"] if x["podID"] == target["id"]]
    assert len(others) == 2 and all(x["state"] == "pending" for x in others), others
    assert pauses(sim, target["id"]) == []

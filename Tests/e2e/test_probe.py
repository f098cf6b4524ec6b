"""GPU probes end to end: the real podtui, a real sshd on loopback (key login only) whose PATH
holds a stub nvidia-smi printing what each test chooses, and simulator pods whose sshCmd
points at it. podtui runs `ssh` from PATH: the loop's wrapper, which logs its argv and the
names of its environment variables, then runs the real ssh with the loop's client config.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from harness import BINARY, KEY, Sim, TUI
from sshloop import ssh_loop  # noqa: F401 (a fixture)

H100 = "NVIDIA_H100_80G"


@pytest.fixture
def sim():
    s = Sim(scenario="empty")
    yield s
    s.stop()


def config(tmp_path, interval=5, idle_minutes=0.2, metrics=False):
    # API metrics off unless asked: these tests are about what the probes alone show.
    home = tmp_path / "config"
    (home / "podtui").mkdir(parents=True)
    (home / "podtui" / "config.yaml").write_text(
        f"ui:\n  gpu_probe_interval: {interval}\n  gpu_idle_minutes: {idle_minutes}\n  notifications: true\n"
        f"  metrics: {'true' if metrics else 'false'}\n")
    return str(home)


def pod(loop, pid=5001, name="train-llama", ssh=None, count=2):
    return {"id": pid, "name": name, "status": "RUNNING", "gpuType": H100, "gpuCount": count, "singleCardPrice": 2.4,
            "sshCmd": ssh if ssh is not None else f"ssh root@127.0.0.1 -p {loop.port}"}


def start(sim, loop, tmp_path, pods, args=("--gpu-probe",), **settings):
    sim.call("POST", "/_sim/pods", pods)
    # A short state path: the socket directory (ssh-HOST-PID) goes there only when the whole
    # socket path fits in 107 bytes, as under ~/.local/state.
    state = tempfile.mkdtemp(prefix="pt-", dir="/tmp")
    env = {"PATH": loop.env()["PATH"], "XDG_CONFIG_HOME": config(tmp_path, **settings), "XDG_STATE_HOME": state}
    tui = TUI(sim, cols=150, rows=30, extra_env=env, args=args)
    shutil.rmtree(tui.own_state, ignore_errors=True)   # unused: close() removes this one instead
    tui.own_state = state
    return tui


def row(tui, name):
    """The list row of the pod (after the selection/mark column), not the preview's line."""
    return next((line for line in tui.text().splitlines() if line[1:].startswith(name + " ")), "")


def shows_failure(tui, name):
    """GPU% of the pod's row is `?`."""
    return re.search(r"RUNNING .* \?\s", row(tui, name))


def wait(predicate, timeout, what):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_column_shows_the_stub_figures_one_handshake_and_safe_argv(sim, ssh_loop, tmp_path):
    ssh_loop.set_nvidia(["0, 97, 40000, 81559", "1, 95, 30000, 81559"])
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop)])
    try:
        tui.wait_for(lambda _text: "96%" in row(tui, "train-llama"), timeout=15, what="GPU% from the stub")
        assert "68/159G" in row(tui, "train-llama")
        assert "0/2 GPUs idle" in tui.text()
        # Three probes (5 s apart) over one connection: one handshake, a session each.
        tui.wait_for(lambda _text: ssh_loop.nvidia_calls() >= 3, timeout=20, what="three probes")
        assert ssh_loop.sshd_logins() == 1, ssh_loop.sshd_log_text()
        assert ssh_loop.sshd_sessions() >= 3
        for argv in ssh_loop.argvs():
            assert "BatchMode=yes" in argv and "StrictHostKeyChecking=accept-new" in argv
            assert any(a.startswith("ConnectTimeout=") for a in argv)
            if "-O" in argv:
                continue
            assert any(a.startswith("ControlPath=" + tui.own_state + "/podtui/ssh-") for a in argv), argv
            dashes = argv.index("--")
            assert argv[dashes + 1] == "127.0.0.1" and len(argv) == dashes + 3
            assert not any(KEY in a for a in argv)
        for names in ssh_loop.env_names():
            assert not [n for n in names if n.startswith("YOTTA_")], names
        tui.send("\r")
        tui.wait_text("GPU 0   97%  39/80 GiB")
        tui.send("q")
        assert tui.wait_exit() == 0
        # The shared connection ended with podtui, and its socket directory is gone.
        wait(lambda: ssh_loop.client_pids() == [], 5, "the ssh master to exit")
        state = os.path.join(tui.own_state, "podtui")
        assert not [d for d in os.listdir(state) if d.startswith("ssh-")]
    finally:
        tui.close()


def test_idle_gpus_raise_the_badge_and_one_announcement(sim, ssh_loop, tmp_path):
    ssh_loop.set_nvidia(["0, 0, 100, 81559", "1, 3, 100, 81559"])
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop)])
    try:
        tui.wait_for(lambda _text: re.search(r"train-llama idle \d+s", row(tui, "train-llama")), timeout=30, what="the idle badge")
        assert "2/2 GPUs idle" in tui.text()
        tui.wait_text("train-llama: its 2 GPUs have been under 5% for")
        assert b"\x07" in tui.raw or b"\x1b]9;" in tui.raw or b"\x1b]777;" in tui.raw   # bell / notification
        calls = ssh_loop.nvidia_calls()
        tui.wait_for(lambda _text: ssh_loop.nvidia_calls() >= calls + 2, timeout=15, what="two more probes")
        tui.send(":events\r")
        tui.wait_text("Events")
        # Event lines start with their time (the message line may repeat the text).
        said = [line for line in tui.text().splitlines() if re.match(r"\s*\d\d:\d\d:\d\d\s.*been under 5%", line)]
        assert len(said) == 1, tui.text()
        tui.send(":pods\r")
        # Busy again: the badge goes.
        ssh_loop.set_nvidia(["0, 88, 100, 81559", "1, 3, 100, 81559"])
        tui.wait_for(lambda _text: "idle" not in row(tui, "train-llama") and "46%" in row(tui, "train-llama"), timeout=15, what="busy again")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_refused_key_shows_question_mark_and_the_reason(sim, ssh_loop, tmp_path):
    ssh_loop.use_key("bad")
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop)])
    try:
        tui.wait_for(lambda _text: shows_failure(tui, "train-llama"), timeout=15, what="? in GPU%")
        tui.send("\r")
        tui.wait_text("? probe failed")
        assert "ssh login refused" in tui.text() and "Permission denied (publickey)" in tui.text()
        # The UI did not wait on ssh: keys still work at once.
        tui.send("\x1b")
        tui.wait_text("GPU%")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_no_nvidia_smi_is_said_plainly(sim, ssh_loop, tmp_path):
    ssh_loop.remove_nvidia()
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop)])
    try:
        tui.wait_for(lambda _text: shows_failure(tui, "train-llama"), timeout=15, what="? in GPU%")
        tui.send("\r")
        tui.wait_text("no nvidia-smi or rocm-smi on the pod")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_hostile_sshcmd_is_refused_and_never_run(sim, ssh_loop, tmp_path):
    marker = tmp_path / "pwned"
    hostile = f"ssh -oProxyCommand=/usr/bin/touch_{marker} root@127.0.0.1 -p {ssh_loop.port}"
    ssh_loop.set_nvidia(["0, 50, 100, 81559"])
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop), pod(ssh_loop, pid=5002, name="evil", ssh=hostile)])
    try:
        tui.wait_text("evil: not probed: the pod's ssh command was refused: it passes the ssh option -oProxyCommand")
        tui.wait_for(lambda _text: "50%" in row(tui, "train-llama"), timeout=15, what="the good pod probed")
        assert shows_failure(tui, "evil")
        # s on it refuses too, instead of running ssh with the option; c copies nothing.
        tui.goto("evil")
        tui.send("s")
        tui.wait_text("ssh command is neither run nor copied")
        before = len(tui.raw)
        tui.send("c")
        tui.wait_text("ssh command is neither run nor copied")
        tui.settle()
        assert b"\x1b]52" not in tui.raw[before:], "c copied a refused ssh command"
        assert not any("ProxyCommand" in a for argv in ssh_loop.argvs() for a in argv)
        assert not marker.exists() and not list(tmp_path.glob("pwned*"))
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_pause_when_idle_sends_one_pause(sim, ssh_loop, tmp_path):
    ssh_loop.set_nvidia(["0, 0, 100, 81559", "1, 0, 100, 81559"])
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop)], idle_minutes=10)
    try:
        tui.wait_for(lambda _text: "0%" in row(tui, "train-llama"), timeout=15, what="the first probe")
        tui.goto("train-llama")
        tui.send("t")
        tui.wait_text("pause in")
        tui.send("idle 12s\r")
        tui.wait_text("when its GPUs have been under 5% for 12s")
        assert "⏲idle" in row(tui, "train-llama")

        def pauses():
            return [r for r in sim.requests() if r["method"] == "POST" and r["path"] == "/v2/pods/5001/pause"]
        tui.wait_for(lambda _text: pauses(), timeout=40, what="the pause")
        tui.wait_text("its GPUs were idle for")
        sim.wait_polls(6)   # six more polls, more than another probe interval: still one
        assert len(pauses()) == 1
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_pods_top_prints_one_probe_of_each_running_pod(sim, ssh_loop, tmp_path):
    ssh_loop.set_nvidia(["0, 97, 40000, 81559", "1, 1, 30000, 81559"])
    sim.call("POST", "/_sim/pods", [pod(ssh_loop), pod(ssh_loop, pid=5002, name="evil", ssh="ssh -J jump root@127.0.0.1"),
                                    {"id": 5003, "name": "resting", "status": "PAUSED", "gpuType": H100}])
    env = ssh_loop.env({k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")})
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_STATE_HOME": str(tmp_path / "state"),
                "XDG_CONFIG_HOME": str(tmp_path / "none")})
    run = subprocess.run([BINARY, "pods", "top", "--ssh", "-o", "json"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr   # one pod could not be probed
    rows = {r["id"]: r for r in json.loads(run.stdout)}
    assert set(rows) == {5001, 5002}
    assert rows[5001]["probed"] and rows[5001]["utilization"] == 49 and rows[5001]["memoryUsedMiB"] == 70000
    assert [g["utilization"] for g in rows[5001]["gpus"]] == [97, 1]
    assert rows[5001]["idleNow"] is False
    assert "-J" in rows[5002]["error"]
    table = subprocess.run([BINARY, "pods", "top", "--ssh", "5001", "5003"], env=env, capture_output=True, text=True, timeout=60)
    assert "train-llama" in table.stdout and "49%" in table.stdout and "68/159 GiB" in table.stdout
    assert "resting" in table.stdout and "not probed: it is PAUSED" in table.stdout
    assert not any(KEY in a for argv in ssh_loop.argvs() for a in argv)


def test_a_hung_probe_blocks_neither_keys_nor_polling(sim, ssh_loop, tmp_path):
    """nvidia-smi that takes 12 s (a wedged driver does this): while four probes hang, the list
    still answers keys at once and the API polling stays fresh."""
    ssh_loop.set_nvidia(["0, 50, 100, 81559"], delay=12)
    pods = [pod(ssh_loop, pid=6000 + i, name=f"hung-{i}") for i in range(6)]
    tui = start(sim, ssh_loop, tmp_path, pods)
    try:
        tui.wait_for(lambda _text: ssh_loop.nvidia_calls() >= 4, timeout=15, what="four probes hanging")
        assert ssh_loop.nvidia_calls() == 4   # the cap: the other two wait their turn
        first = tui.selected_line()
        for _ in range(3):
            started = time.time()
            tui.send("j", settle=0)
            tui.wait_for(lambda _text: tui.selected_line() not in ("", first), timeout=2, what="the selection to move down")
            tui.send("k", settle=0)
            tui.wait_for(lambda _text: tui.selected_line() == first, timeout=2, what="the selection to move back")
            assert time.time() - started < 3
        # Polling went on meanwhile: the header says the data is fresh.
        tui.wait_for(lambda text: re.search(r"updated [0-2]s ago", text), timeout=5, what="fresh data while probes hang")
        tui.wait_for(lambda _text: "50%" in row(tui, "hung-0") or "50%" in row(tui, "hung-1"), timeout=20, what="the slow answers")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_with_api_metrics_a_refused_probe_shows_the_apis_figure_and_says_why(sim, ssh_loop, tmp_path):
    """Both sources on: the probe's figure wins when it has one; a pod whose probe is refused
    shows the API's figure, and the detail pane says the probe failed and where the figure
    came from."""
    tui = start(sim, ssh_loop, tmp_path, [pod(ssh_loop, pid=5301, name="keyless", ssh="ssh nobody@127.0.0.1 -p 1")], metrics=True)
    try:
        tui.wait_for(lambda _t: re.search(r"RUNNING .* \d+%\s", row(tui, "keyless")), timeout=30, what="the API's GPU%")
        tui.goto("keyless")
        tui.send("\r")
        tui.wait_text("probe failed")
        tui.wait_text("figures")
        assert "API " in tui.text()
    finally:
        tui.close()

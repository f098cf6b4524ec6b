"""End-to-end (issue 27): `podtui watch`, the real binary, against `podtui sim` over HTTP:
one watcher per profile, every timer (clock and "when idle") fired exactly once even beside a
TUI, events delivered in order to a webhook receiver that was down for a while, exec hooks
with the event in their environment and no secret, SIGTERM within 2 s, SIGHUP rereading
config.yaml, a journal that neither repeats nor loses an event across a restart, and a
webhook URL that never reaches the log."""
import http.server
import json
import os
import signal
import subprocess
import tempfile
import threading
import time

import pytest

from harness import BINARY, KEY, Sim, TUI, free_port


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def dirs():
    state = tempfile.mkdtemp(prefix="podtui-e2e-watch-state-")
    config = tempfile.mkdtemp(prefix="podtui-e2e-watch-config-")
    yield state, config


def env_for(sim, dirs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_STATE_HOME": dirs[0],
                "XDG_CONFIG_HOME": dirs[1], "LANG": "C.UTF-8"})
    env.pop("JOURNAL_STREAM", None)
    return env


class Receiver:
    """A webhook receiver on loopback that keeps every body it gets, in order."""

    def __init__(self, port=None, status=200):
        self.port = port or free_port()
        self.bodies = []
        self.status = status
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if outer.status == 200:
                    outer.bodies.append(json.loads(body))
                self.send_response(outer.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/services/T000/B000/SECRETTOKEN42"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Watch:
    """`podtui watch` as a child process; stderr (its log) goes to a file read by `log()`."""

    def __init__(self, sim, dirs, *args):
        self.err = tempfile.NamedTemporaryFile(prefix="podtui-watch-err-")
        with open(self.err.name, "ab") as err:
            self.proc = subprocess.Popen([BINARY, "watch", "--interval", "1", *args], env=env_for(sim, dirs),
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                         start_new_session=True)

    def log(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace")

    def wait_log(self, needle, timeout=30):
        end = time.time() + timeout
        while needle not in self.log():
            assert self.proc.poll() is None, f"watch exited {self.proc.returncode}: {self.log()}"
            assert time.time() < end, f"{needle!r} not in the log within {timeout} s: {self.log()}"
            time.sleep(0.1)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def cli(sim, dirs, *args):
    return subprocess.run([BINARY, *args], env=env_for(sim, dirs), capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL, start_new_session=True)


def pauses(sim, pod_id):
    return [r for r in sim.requests() if r["method"] == "POST" and r["path"] == f"/v2/pods/{pod_id}/pause"]


def pod_named(sim, name):
    return next(p for p in sim.call("GET", "/v2/pods") if p.get("name") == name)


def wait(predicate, timeout, what):
    end = time.time() + timeout
    while not predicate():
        assert time.time() < end, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_one_watcher_per_profile_and_sigterm_stops_it_within_two_seconds(sim, dirs):
    first = Watch(sim, dirs)
    try:
        first.wait_log("watching")
        second = subprocess.run([BINARY, "watch"], env=env_for(sim, dirs), capture_output=True, text=True, timeout=20,
                                stdin=subprocess.DEVNULL)
        assert second.returncode == 1
        assert f"process {first.proc.pid}" in second.stderr and "watch.lock" in second.stderr, second.stderr
        start = time.time()
        first.proc.send_signal(signal.SIGTERM)
        first.proc.wait(5)
        assert time.time() - start < 2.0, "SIGTERM took 2 s or more"
        assert first.proc.returncode == 0, first.log()
        assert "stopped" in first.log()
    finally:
        first.stop()
    # Gone with it: a new one starts.
    again = Watch(sim, dirs)
    try:
        again.wait_log("watching")
    finally:
        assert again.stop(signal.SIGINT) == 0


def test_clock_and_idle_timers_fire_exactly_once_beside_a_tui(sim, dirs):
    clock_pod = pod_named(sim, "vllm-serve-70b")
    idle_pod = pod_named(sim, "llama-ft-7")   # idle for the simulator's whole metrics history
    assert cli(sim, dirs, "timers", "add", str(clock_pod["id"]), "3s").returncode == 0
    assert cli(sim, dirs, "timers", "add", str(idle_pod["id"]), "idle", "30m").returncode == 0
    watcher = Watch(sim, dirs)
    tui = TUI(sim, extra_env={"XDG_STATE_HOME": dirs[0], "XDG_CONFIG_HOME": dirs[1]})
    try:
        tui.wait_text("· watched", timeout=20)   # the TUI found the watcher's lock
        wait(lambda: len(pauses(sim, clock_pod["id"])) >= 1 and len(pauses(sim, idle_pod["id"])) >= 1, 60, "both pauses")
        watcher.wait_log("event timer_fired")
        sim.wait_polls(8)   # both processes go round several more times: still one pause each
        assert len(pauses(sim, clock_pod["id"])) == 1
        assert len(pauses(sim, idle_pod["id"])) == 1
        # The watcher told both firings, whichever process fired them.
        wait(lambda: watcher.log().count("event timer_fired") >= 2, 20, "two timer_fired events")
    finally:
        tui.close()
        assert watcher.stop() == 0


def test_events_reach_a_receiver_that_was_down_in_order_and_once(sim, dirs):
    port = free_port()
    url = f"http://127.0.0.1:{port}/services/T000/B000/SECRETTOKEN42"
    watcher = Watch(sim, dirs, "--webhook", url, "--webhook-events", "running,status_changed,gone,failed")
    try:
        watcher.wait_log("watching")
        sim.wait_polls(2)   # the watcher has its first look: the fleet as it was is not news
        pod = pod_named(sim, "vllm-serve-70b")
        sim.call("POST", f"/v2/pods/{pod['id']}/pause")
        watcher.wait_log(f"vllm-serve-70b ({pod['id']}) is PAUSED")
        sim.call("POST", f"/v2/pods/{pod['id']}/resume")
        watcher.wait_log(f"vllm-serve-70b ({pod['id']}) is RUNNING")
        watcher.wait_log("failed: ")   # tried while nothing listened
        receiver = Receiver(port)
        try:
            def mine():
                return [b for b in receiver.bodies if b["pod"] and b["pod"]["id"] == pod["id"]]
            wait(lambda: any(b["event"] == "running" for b in mine()), 40, "the events after the receiver came up")
            kinds = [b["event"] for b in mine()]
            assert kinds.index("status_changed") < kinds.index("running"), kinds
            assert "PAUSED" in mine()[0]["text"] or "PAUSING" in mine()[0]["text"], mine()
            texts = [b["text"] for b in receiver.bodies]
            assert len(texts) == len(set(texts)), texts   # none twice
            times = [b["time"] for b in receiver.bodies]
            assert times == sorted(times), times          # in the order they happened
            first = mine()[0]
            assert set(first) == {"event", "pod", "text", "time"}
            assert first["pod"]["name"] == "vllm-serve-70b" and first["time"].endswith("Z")
        finally:
            receiver.stop()
    finally:
        watcher.stop()
    log = watcher.log()
    assert "SECRETTOKEN42" not in log and "/services/" not in log, log


def test_a_restart_neither_repeats_nor_loses_events(sim, dirs):
    receiver = Receiver()
    try:
        first = Watch(sim, dirs, "--webhook", receiver.url)
        first.wait_log("watching")
        wait(lambda: any(b["event"] == "idle" for b in receiver.bodies), 30, "the idle events")
        sim.wait_polls(3)
        assert first.stop() == 0
        told = [b["text"] for b in receiver.bodies]
        idle_told = {b["pod"]["id"] for b in receiver.bodies if b["event"] == "idle"}
        # While no watcher runs, a pod is deleted: the next watcher tells it, and only it.
        pod = pod_named(sim, "qwen-eval")
        sim.call("DELETE", f"/v2/pods/{pod['id']}")
        second = Watch(sim, dirs, "--webhook", receiver.url)
        try:
            wait(lambda: any(b["event"] == "gone" and b["pod"]["id"] == pod["id"] for b in receiver.bodies), 60, "gone")
            sim.wait_polls(4)
            later = [b["text"] for b in receiver.bodies[len(told):]]
            assert not set(later) & set(told), later
            again = [b for b in receiver.bodies[len(told):] if b["event"] == "idle" and b["pod"]["id"] in idle_told]
            assert again == [], again   # an idle stretch told before the restart is not told again
        finally:
            assert second.stop() == 0
    finally:
        receiver.stop()


def test_exec_hook_gets_the_event_and_no_secret(sim, dirs):
    out = tempfile.mkdtemp(prefix="podtui-e2e-hook-")
    script = os.path.join(out, "hook.sh")
    with open(script, "w") as f:
        f.write('#!/bin/sh\nenv > "$1/env-$PODTUI_EVENT-$POD_ID"\n')
    os.chmod(script, 0o700)
    watcher = Watch(sim, dirs, "--exec", script, out, "--exec-events", "idle")
    try:
        wait(lambda: any(n.startswith("env-idle-") for n in os.listdir(out)), 40, "the hook's file")
    finally:
        watcher.stop()
    name = next(n for n in os.listdir(out) if n.startswith("env-idle-"))
    with open(os.path.join(out, name)) as f:
        env = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
    assert env["PODTUI_EVENT"] == "idle" and env["POD_STATUS"] == "RUNNING" and env["POD_ID"] == name.split("-")[-1]
    assert "idle for" in env["PODTUI_TEXT"]
    assert not any(k.startswith("YOTTA_") for k in env), env
    assert KEY not in "".join(env.values())


def test_sighup_rereads_the_budget_and_the_webhooks(sim, dirs):
    receiver = Receiver()
    config = os.path.join(dirs[1], "podtui", "config.yaml")
    os.makedirs(os.path.dirname(config), mode=0o700, exist_ok=True)
    with open(config, "w") as f:
        f.write("ui:\n  budget_per_hour: 100000\n")
    os.chmod(config, 0o600)
    watcher = Watch(sim, dirs)
    try:
        watcher.wait_log("watching")
        sim.wait_polls(2)
        assert "over_budget" not in watcher.log()
        with open(config, "w") as f:
            f.write(f"ui:\n  budget_per_hour: 1\nwatch:\n  webhooks:\n    - url: {receiver.url}\n      events: [over_budget]\n")
        watcher.proc.send_signal(signal.SIGHUP)
        watcher.wait_log("settings reread")
        wait(lambda: [b["event"] for b in receiver.bodies] == ["over_budget"], 20, "over_budget at the receiver")
        assert receiver.bodies[0]["pod"] is None
        assert "Over budget" in receiver.bodies[0]["text"]
    finally:
        watcher.stop()
        receiver.stop()
    assert "SECRETTOKEN42" not in watcher.log()


def test_read_only_reports_and_never_pauses(sim, dirs):
    pod = pod_named(sim, "vllm-serve-70b")
    assert cli(sim, dirs, "timers", "add", str(pod["id"]), "1s").returncode == 0
    watcher = Watch(sim, dirs, "--read-only")
    try:
        watcher.wait_log("read-only")
        sim.wait_polls(6)
        assert pauses(sim, pod["id"]) == []
    finally:
        watcher.stop()


def test_systemd_unit_names_the_binary_and_no_secret(sim, dirs):
    result = cli(sim, dirs, "watch", "--systemd-unit", "--webhook", "https://hooks.example/SECRETTOKEN42", "--listen", "127.0.0.1:9465")
    assert result.returncode == 0, result.stderr
    unit = result.stdout
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_line.split("=", 1)[1].split()[0] == os.path.realpath(BINARY)
    assert "watch" in exec_line and "--listen 127.0.0.1:9465" in exec_line
    assert "SECRETTOKEN42" not in unit and "ExecReload=/bin/kill -HUP $MAINPID" in unit


def test_runs_as_its_systemd_unit_says(sim, dirs):
    """The unit `--systemd-unit` prints passes systemd-analyze, and its ExecStart run as
    systemd runs it (no terminal, JOURNAL_STREAM set) logs in journald's form, rereads on the
    unit's ExecReload signal and stops cleanly on its KillSignal."""
    result = cli(sim, dirs, "watch", "--systemd-unit", "--interval", "1")
    unit_dir = tempfile.mkdtemp(prefix="podtui-e2e-unit-")
    unit = os.path.join(unit_dir, "podtui-watch.service")
    with open(unit, "w") as f:
        f.write(result.stdout)
    verify = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    lines = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line and not line.startswith("#"))
    assert lines["KillSignal"] == "SIGTERM" and lines["ExecReload"] == "/bin/kill -HUP $MAINPID"
    env = env_for(sim, dirs)
    env["JOURNAL_STREAM"] = "8:12345"
    err = tempfile.NamedTemporaryFile(prefix="podtui-watch-unit-err-")
    with open(err.name, "ab") as out:
        proc = subprocess.Popen(lines["ExecStart"].split(), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True)
    try:
        def log():
            err.seek(0)
            return err.read().decode()
        wait(lambda: "watching" in log(), 30, "the watcher started")
        proc.send_signal(signal.SIGHUP)
        wait(lambda: "settings reread" in log(), 10, "the reload")
        start = time.time()
        proc.send_signal(signal.SIGTERM)
        proc.wait(5)
        assert time.time() - start < 2
        assert proc.returncode == 0
        text = log()
        # journald's form: a priority, no time stamp (the journal adds its own).
        for line in text.splitlines():
            assert line[:3] in ("<3>", "<4>", "<5>", "<6>", "<7>"), line
        assert "<5>watching" in text and "<5>stopped" in text
    finally:
        if proc.poll() is None:
            proc.kill()


def test_api_down_for_a_while_the_watcher_says_so_and_goes_on(sim, dirs):
    watcher = Watch(sim, dirs)
    try:
        watcher.wait_log("watching")
        sim.wait_polls(2)
        # Only the list: six 503s spread over metrics requests too left too few for two
        # whole polls (three tries each), and a poll its retries saved is no outage.
        sim.fault("http503", count=6, path="/v2/pods", method="GET")
        watcher.wait_log("API: ")
        watcher.wait_log("the API answers again", timeout=60)
        pod = pod_named(sim, "vllm-serve-70b")
        sim.call("POST", f"/v2/pods/{pod['id']}/pause")
        watcher.wait_log(f"vllm-serve-70b ({pod['id']}) is PAUSED")
    finally:
        assert watcher.stop() == 0

"""End-to-end (issue 27, "Bad input"): `podtui watch`, the real binary, against what a long
running watcher meets: a stop while an exec hook or a webhook POST is in flight (the event
stays owed and the next watcher sends it; no hook outlives the watcher), a config.yaml with
10,000 webhooks, SIGHUP with a config.yaml that no longer parses, a receiver that redirects,
and a state directory that turns read-only under it (said once, nothing lost)."""
import http.server
import json
import os
import signal
import subprocess
import tempfile
import threading

import pytest

from harness import free_port
from test_watch import Receiver, Watch, dirs, pod_named, sim, wait  # noqa: F401 (dirs, sim: fixtures)


def write_config(dirs, text):
    path = os.path.join(dirs[1], "podtui", "config.yaml")
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def journal(dirs):
    with open(os.path.join(dirs[0], "podtui", "watch-journal.json")) as f:
        return json.load(f)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for this purpose (its parent, the watcher, has exited).
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


class Hanging:
    """A webhook receiver whose POSTs never get an answer until `release()`; the
    paths it was asked for are kept."""

    def __init__(self):
        self.port = free_port()
        self.paths = []
        self.bodies = []
        self.release_event = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.paths.append(self.path)
                if self.path.startswith("/redirect"):
                    self.send_response(307)
                    self.send_header("Location", f"http://127.0.0.1:{outer.port}/elsewhere")
                    self.end_headers()
                    return
                if not outer.release_event.is_set():
                    outer.release_event.wait(60)
                    return   # the watcher has gone: nobody reads an answer
                outer.bodies.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self.release_event.set()

    def stop(self):
        self.release_event.set()
        self.server.shutdown()
        self.server.server_close()


def test_sigterm_while_a_hook_runs_kills_it_and_the_next_watcher_runs_it_again(sim, dirs):
    out = tempfile.mkdtemp(prefix="podtui-e2e-hookh-")
    script = os.path.join(out, "hook.sh")
    with open(script, "w") as f:
        # While the flag file exists the hook hangs (writing its pid first); without it, it
        # writes the event's number to a file of its own.
        f.write('#!/bin/sh\nif [ -e "$1/hang" ]; then echo $$ > "$1/pid"; exec sleep 300; fi\n'
                'echo "$PODTUI_TEXT" > "$1/done-$POD_ID"\n')
    os.chmod(script, 0o700)
    open(os.path.join(out, "hang"), "w").close()
    first = Watch(sim, dirs, "--exec", script, out, "--exec-events", "idle", "--exec-timeout", "300")
    try:
        wait(lambda: os.path.exists(os.path.join(out, "pid")) and os.path.getsize(os.path.join(out, "pid")) > 0, 40, "the hook")
        with open(os.path.join(out, "pid")) as f:
            hook = int(f.read())
        started = __import__("time").time()
        first.proc.send_signal(signal.SIGTERM)
        first.proc.wait(5)
        assert __import__("time").time() - started < 2.0, "SIGTERM took 2 s or more"
        assert first.proc.returncode == 0, first.log()
    finally:
        first.stop()
    # The hook's deadline lived in the watcher: it is ended with it, not left for 300 s.
    wait(lambda: not alive(hook), 2, "the hook to end with the watcher")
    owed = journal(dirs)["outbox"]["owed"]
    assert owed, "the event being run is still owed"
    os.unlink(os.path.join(out, "hang"))
    second = Watch(sim, dirs, "--exec", script, out, "--exec-events", "idle", "--exec-timeout", "300")
    try:
        wait(lambda: len([n for n in os.listdir(out) if n.startswith("done-")]) >= len(owed), 40, "the owed events run")
        wait(lambda: journal(dirs)["outbox"]["owed"] == [], 20, "nothing owed")
    finally:
        assert second.stop() == 0


def test_sigterm_while_a_post_hangs_and_the_next_watcher_sends_it(sim, dirs):
    receiver = Hanging()
    url = f"http://127.0.0.1:{receiver.port}/services/T000/B000/SECRETTOKEN42"
    try:
        first = Watch(sim, dirs, "--webhook", url, "--webhook-events", "idle")
        try:
            wait(lambda: len(receiver.paths) >= 1, 40, "a POST in flight")
            assert first.stop() == 0
        finally:
            first.stop()
        owed = journal(dirs)["outbox"]["owed"]
        assert len(owed) >= 1
        told = {e["seq"]: e["text"] for e in journal(dirs)["outbox"]["events"]}
        receiver.release()
        second = Watch(sim, dirs, "--webhook", url, "--webhook-events", "idle")
        try:
            wait(lambda: {b["text"] for b in receiver.bodies} >= {told[o["seq"]] for o in owed}, 40, "the owed events")
            texts = [b["text"] for b in receiver.bodies]
            assert len(texts) == len(set(texts)), texts
        finally:
            assert second.stop() == 0
        assert "SECRETTOKEN42" not in first.log() + second.log()
    finally:
        receiver.stop()


def test_ten_thousand_webhooks_in_config_start_promptly_and_stop_on_sigterm(sim, dirs):
    hooks = "".join(f"    - url: https://hooks.example/h{i}/SECRETMANY{i}\n" for i in range(10_000))
    write_config(dirs, "watch:\n  webhooks:\n" + hooks)
    watcher = Watch(sim, dirs)
    try:
        watcher.wait_log("watching", timeout=20)
        assert "at most 32 webhooks and exec hooks are used; the 9968 after them are left out" in watcher.log()
        # The targets are logged one line each after "watching": wait for them, then count
        # the whole log once the process has ended (none past the 32nd).
        wait(lambda: watcher.log().count("delivering to") >= 32, 20, "a line per target used")
        start = __import__("time").time()
        watcher.proc.send_signal(signal.SIGTERM)
        watcher.proc.wait(5)
        assert __import__("time").time() - start < 2.0
    finally:
        watcher.stop()
    assert watcher.log().count("delivering to") == 32
    assert "SECRETMANY" not in watcher.log()


def test_sighup_with_a_config_that_no_longer_parses_says_why_and_keeps_the_old_settings(sim, dirs):
    receiver = Receiver()
    config = write_config(dirs, f"watch:\n  webhooks:\n    - url: {receiver.url}\n      events: [idle, status_changed]\n")
    watcher = Watch(sim, dirs)
    try:
        watcher.wait_log("watching")
        with open(config, "w") as f:
            f.write(f"watch:\n  webhooks: [{receiver.url}\nui: {{\n")
        watcher.proc.send_signal(signal.SIGHUP)
        watcher.wait_log("SIGHUP: settings not reread, the old ones stay: ")
        line = next(l for l in watcher.log().splitlines() if "settings not reread" in l)
        assert "config.yaml" in line, line   # which file, and what is wrong in it
        # The old webhook still gets events.
        sim.wait_polls(2)
        pod = next(p for p in sim.call("GET", "/v2/pods") if p.get("name") == "vllm-serve-70b")
        sim.call("POST", f"/v2/pods/{pod['id']}/pause")
        wait(lambda: any(b["pod"] and b["pod"]["id"] == pod["id"] for b in receiver.bodies), 30, "an event after the failed reload")
    finally:
        watcher.stop()
        receiver.stop()
    assert "SECRETTOKEN42" not in watcher.log()


def test_a_redirecting_receiver_is_not_followed(sim, dirs):
    receiver = Hanging()
    try:
        watcher = Watch(sim, dirs, "--webhook", f"http://127.0.0.1:{receiver.port}/redirect/SECRETTOKEN42", "--webhook-events", "idle")
        try:
            watcher.wait_log("failed: HTTP 307", timeout=40)
            sim.wait_polls(2)
            assert receiver.paths and all(p.startswith("/redirect") for p in receiver.paths), receiver.paths
        finally:
            assert watcher.stop() == 0
        assert "SECRETTOKEN42" not in watcher.log()
    finally:
        receiver.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_state_directory_gone_read_only_is_said_once_and_loses_no_event(sim, dirs):
    receiver = Receiver()
    state = os.path.join(dirs[0], "podtui")
    watcher = Watch(sim, dirs, "--webhook", receiver.url, "--webhook-events", "status_changed,running")
    mounted = False
    try:
        watcher.wait_log("watching")
        sim.wait_polls(2)
        if subprocess.run(["mount", "--bind", state, state]).returncode != 0:
            pytest.skip("cannot bind-mount here")
        mounted = True
        # A remount to read-only fails with "mount point is busy" while the watcher holds a
        # file open for writing through the new mount (it opens, writes and closes them at
        # each poll): a CI run met that once. Retry until the watcher is between writes.
        wait(lambda: subprocess.run(["mount", "-o", "remount,ro,bind", state],
                                    stderr=subprocess.DEVNULL).returncode == 0,
             20, "a read-only remount of the state directory")
        pod = next(p for p in sim.call("GET", "/v2/pods") if p.get("name") == "vllm-serve-70b")
        sim.call("POST", f"/v2/pods/{pod['id']}/pause")
        watcher.wait_log("cannot write the journal")
        # The watcher may have seen PAUSING; the simulator refuses a resume until PAUSED.
        wait(lambda: pod_named(sim, "vllm-serve-70b")["status"] == "PAUSED", 30, "the pod paused")
        sim.call("POST", f"/v2/pods/{pod['id']}/resume")
        assert pod_named(sim, "vllm-serve-70b")["status"] in ("INITIALIZE", "RUNNING")
        wait(lambda: any(b["event"] == "running" and b["pod"]["id"] == pod["id"] for b in receiver.bodies), 40,
             "the events told while the journal could not be written")
        sim.wait_polls(8)
        log = watcher.log()
        assert log.count("cannot write the journal") == 1, log
        # The store's file warnings too: once, not at every poll.
        for needle in ("ledger append:", "idle clocks:", "timers:"):
            assert log.count(needle) <= 1, log
        subprocess.run(["umount", state])
        mounted = False
        watcher.wait_log("the journal is written again", timeout=30)
    finally:
        if mounted:
            subprocess.run(["umount", state])
        assert watcher.stop() == 0
        receiver.stop()

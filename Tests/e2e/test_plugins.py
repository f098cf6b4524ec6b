"""The user's plugins end to end (issue 28): the real podtui on a pty, plugins from its
config.yaml, the simulator's pods (one with a hostile name). No shell of podtui's runs them:
a pod name full of shell syntax must reach the program as one argument, untouched."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from harness import BINARY, KEY, Sim, TUI

HOSTILE = "x; touch /tmp/pwned-plugin $(id) 'q\" `w`"


@pytest.fixture
def sim():
    s = Sim(scenario="empty")
    s.call("POST", "/_sim/pods", [
        {"id": 5001, "name": HOSTILE, "status": "RUNNING", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1, "image": "pytorch:2",
         "region": "us-east-1", "sshCmd": "ssh root@10.0.0.7 -p 30003"},
        {"id": 5002, "name": "evil-ssh", "status": "RUNNING", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1,
         "sshCmd": "ssh -oProxyCommand=touch\\ /tmp/pwned-plugin root@h"},
    ])
    yield s
    s.stop()


def write_config(tui, text):
    os.makedirs(os.path.join(tui.own_config, "podtui"), exist_ok=True)
    with open(os.path.join(tui.own_config, "podtui", "config.yaml"), "w") as f:
        f.write(text)


def start(sim, tmp_path, config, args=()):
    """podtui with `config` as its config.yaml (the TUI's own config directory)."""
    home = tmp_path / "cfg"
    (home / "podtui").mkdir(parents=True)
    (home / "podtui" / "config.yaml").write_text(config)
    tui = TUI(sim, cols=160, rows=40, extra_env={"XDG_CONFIG_HOME": str(home)}, args=args)
    tui.wait_text("evil-ssh")
    return tui


def recorder(tmp_path):
    """A program that writes its argv and the POD_/YOTTA_ part of its environment to a file."""
    script = tmp_path / "record.py"
    out = tmp_path / "record.json"
    script.write_text(
        "import json, os, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps({{'argv': sys.argv[1:], "
        "'env': {k: v for k, v in os.environ.items() if k.startswith(('POD_', 'MARKED_', 'YOTTA_'))}}))\n"
        "print('recorded', len(sys.argv) - 1, 'arguments')\n")
    return script, out


def wait_file(path, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        if path.exists() and path.stat().st_size:
            return json.loads(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} never written")


def test_a_background_plugin_gets_the_pods_values_as_whole_arguments_and_no_secrets(sim, tmp_path):
    script, out = recorder(tmp_path)
    tui = start(sim, tmp_path, f"""
plugins:
  - name: record
    key: ctrl-g
    description: write argv to a file
    command: [{sys.executable}, {script}, $POD_NAME, "--id=$POD_ID", $POD_SSH_HOST, $POD_SSH_PORT, $POD_SSH_USER, "$$POD_NAME"]
    background: true
""")
    try:
        tui.goto("x;")
        tui.send("\x07")
        got = wait_file(out)
        assert got["argv"] == [HOSTILE, "--id=5001", "10.0.0.7", "30003", "root", "$POD_NAME"]
        assert got["env"]["POD_NAME"] == HOSTILE and got["env"]["POD_ID"] == "5001" and got["env"]["POD_IMAGE"] == "pytorch:2"
        assert not [k for k in got["env"] if k.startswith("YOTTA_")]
        assert not any(KEY in v for v in got["env"].values())
        assert not os.path.exists("/tmp/pwned-plugin")
        tui.wait_text("done: recorded 6 arguments")
        tui.send(":plugins\r")
        tui.wait_text("exited with status 0")
        assert "recorded 6 arguments" in tui.text()
        tui.send("\x1bq")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_a_foreground_plugin_gets_the_terminal_and_the_ui_comes_back(sim, tmp_path):
    out = tmp_path / "name.txt"
    tui = start(sim, tmp_path, f"""
plugins:
  - name: fg
    key: ctrl-g
    command: [sh, -c, 'printf "%s\\n" "$$POD_NAME" > {out}; echo on the terminal; sleep 0.3']
    confirm: true
""")
    try:
        tui.goto("x;")
        tui.send("\x07")
        tui.wait_text("Run fg on")                 # confirm: asked first
        assert not out.exists()
        tui.send("y")
        tui.wait_for(lambda _t: out.exists() and out.stat().st_size, timeout=10, what="the plugin to write")
        tui.wait_text("plugin fg on x; touch", timeout=10)   # the UI is back with its message ("…: ended")
        assert out.read_text() == HOSTILE + "\n"
        assert "evil-ssh" in tui.text()
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_bad_entries_are_one_line_each_the_rest_apply_and_podtui_keys_lists_them(sim, tmp_path):
    script, out = recorder(tmp_path)
    config = f"""
plugins:
  - name: clash
    key: p
    command: [echo]
  - name: missing
    key: ctrl-b
  - name: gone
    key: ctrl-t
    command: [/nonexistent/tool]
  - name: ssh-user
    key: ctrl-g
    command: [{sys.executable}, {script}, $POD_SSH_HOST]
    background: true
  - name: wipe
    key: ctrl-y
    command: [{sys.executable}, {script}, wipe]
    background: true
    dangerous: true
"""
    tui = start(sim, tmp_path, config, args=("--read-only",))
    try:
        tui.send(":events\r")
        tui.wait_text("key p is already pause")
        text = tui.text()
        assert "plugins[1] (missing): command is missing" in text
        assert "line 8: plugin gone: /nonexistent/tool is not an executable file" in text
        tui.send("q")
        # Read-only: the dangerous plugin is refused aloud and never runs.
        tui.goto("x;")
        tui.send("\x19")
        tui.wait_text("Read-only mode: the dangerous plugin wipe is disabled")
        # A hostile sshCmd: a plugin using the ssh variables is refused by the rules of s.
        tui.goto("evil-ssh")
        tui.send("\x07")
        tui.wait_text("ssh command was refused")
        sim.wait_polls(2)   # the loop went round twice: a plugin that had started would have written
        assert not out.exists() and not os.path.exists("/tmp/pwned-plugin")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()
    keys = subprocess.run([BINARY, "keys"], env={**tui.env, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}, capture_output=True, text=True, timeout=30)
    line = next(l for l in keys.stdout.splitlines() if "plugin ssh-user:" in l)
    assert line.split()[0] == "^G" and "(in the background" in line
    assert "plugin wipe:" in keys.stdout and "plugin clash:" not in keys.stdout
    assert "key p is already pause" in keys.stderr


def test_a_hung_background_plugin_blocks_neither_keys_nor_quit(sim, tmp_path):
    tui = start(sim, tmp_path, """
plugins:
  - name: hang
    key: ctrl-g
    command: [sleep, "300"]
    background: true
""")
    try:
        tui.goto("x;")
        tui.send("\x07")
        tui.wait_text("Running hang on")
        first = tui.selected_line()
        tui.send("j", settle=0)
        tui.wait_for(lambda _t: tui.selected_line() not in ("", first), timeout=2, what="keys while the plugin hangs")
        sleeps = [int(p) for p in os.listdir("/proc") if p.isdigit() and open(f"/proc/{p}/cmdline", "rb").read() == b"sleep\x00300\x00"]
        assert sleeps
        started = time.time()
        tui.send("q")
        assert tui.wait_exit(10) == 0
        assert time.time() - started < 5
        end = time.time() + 5
        while time.time() < end and any(os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX" for p in sleeps):
            time.sleep(0.05)
        assert not any(os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX" for p in sleeps)
    finally:
        tui.close()

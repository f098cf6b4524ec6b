"""End-to-end: a pod's services: OSC 8 links for ingress URLs, `o` (copied over SSH, opened
with a display), `podtui ssh-config --write` read back by `ssh -G`, and `y`, the pod as the
API sent it."""
import base64
import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from harness import BINARY, KEY, Sim, TUI


@pytest.fixture
def sim():
    s = Sim(speed=1)
    yield s
    s.stop()


def web_pod(sim):
    return next(p for p in sim.call("GET", "/v2/pods") if p["status"] == "RUNNING" and p.get("name")
                and any(e.get("ingressUrl") for e in p.get("expose") or []))


def test_ingress_urls_are_osc8_links_in_the_detail_pane(sim):
    pod = web_pod(sim)
    url = next(e["ingressUrl"] for e in pod["expose"] if e.get("ingressUrl"))
    tui = TUI(sim)
    try:
        tui.wait_text(pod["name"])
        tui.select(pod["name"])
        tui.send("\r")
        tui.wait_text("Pod detail")
        tui.settle()
        assert f"\x1b]8;;{url}\x1b\\".encode() in tui.raw
        assert url in tui.text()
    finally:
        tui.close()
    off = TUI(sim, extra_env={"TERM": "linux"})
    try:
        off.wait_text(pod["name"])
        off.settle()
        assert b"\x1b]8;;" not in off.raw, "no OSC 8 on the Linux console"
    finally:
        off.close()


def test_o_without_a_display_copies_the_url(sim):
    pod = web_pod(sim)
    url = next(e["ingressUrl"] for e in pod["expose"] if e.get("ingressUrl") and e.get("healthy"))
    tui = TUI(sim, extra_env={"DISPLAY": None, "WAYLAND_DISPLAY": None})
    try:
        tui.wait_text(pod["name"])
        tui.select(pod["name"])
        tui.send("o")
        tui.wait_text("No display here")
        assert b"\x1b]52;c;" + base64.b64encode(url.encode()) in tui.raw
    finally:
        tui.close()


def test_o_with_a_display_runs_xdg_open_with_the_url_and_no_key(sim, tmp_path):
    seen = tmp_path / "seen"
    stub = tmp_path / "xdg-open"
    stub.write_text(f"#!/bin/sh\necho \"$@\" > {seen}\nenv >> {seen}\n")
    stub.chmod(stat.S_IRWXU)
    pod = web_pod(sim)
    url = next(e["ingressUrl"] for e in pod["expose"] if e.get("ingressUrl") and e.get("healthy"))
    tui = TUI(sim, extra_env={"DISPLAY": ":0", "PATH": f"{tmp_path}:{os.environ['PATH']}"})
    try:
        tui.wait_text(pod["name"])
        tui.select(pod["name"])
        tui.send("o")
        tui.wait_for(lambda t: seen.exists() and seen.read_text().strip(), what="xdg-open to run")
        text = seen.read_text()
        assert text.splitlines()[0] == url
        assert "YOTTA_" not in text and KEY not in text
    finally:
        tui.close()


def test_ssh_config_write_resolves_with_ssh_G(sim, tmp_path):
    if not shutil.which("ssh"):
        pytest.skip("no ssh client")
    config = tmp_path / ".ssh" / "config"
    config.parent.mkdir(mode=0o700)
    config.write_text("Host mine\n    HostName mine.example\n")
    config.chmod(0o640)
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "HOME": str(tmp_path), "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="podtui-e2e-config-")})
    run = subprocess.run([BINARY, "ssh-config", "--write"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    text = config.read_text()
    assert text.startswith("Host mine\n    HostName mine.example\n")
    assert (tmp_path / ".ssh" / "config.podtui.bak").read_text() == "Host mine\n    HostName mine.example\n"
    assert stat.S_IMODE(config.stat().st_mode) == 0o640, "an existing file keeps its mode (a new one is 0600)"
    pod = next(p for p in sim.call("GET", "/v2/pods") if p.get("name") == "llama-ft-7")
    words = pod["sshCmd"].split()
    host, port = words[1].split("@")[1], words[words.index("-p") + 1]
    resolved = subprocess.run(["ssh", "-G", "-F", str(config), "yotta-llama-ft-7"], capture_output=True, text=True, timeout=10).stdout
    assert f"hostname {host}" in resolved and f"port {port}" in resolved and "user root" in resolved
    # Run again: the block is replaced, not added twice, and the user's entry stays.
    subprocess.run([BINARY, "ssh-config", "--write"], env=env, capture_output=True, text=True, timeout=60)
    again = config.read_text()
    assert again.count("podtui ssh-config") == 2 and again.startswith("Host mine\n")


def test_y_shows_a_field_only_the_raw_json_has(sim):
    pod = web_pod(sim)
    tui = TUI(sim)
    try:
        tui.wait_text(pod["name"])
        tui.select(pod["name"])
        tui.send("y")
        tui.wait_text("gpuDriverVersion")
        assert str(pod["id"]) in tui.text()
        tui.send("\x1b")
        tui.wait_for(lambda t: "gpuDriverVersion" not in t, what="back to the list")
    finally:
        tui.close()


def test_ssh_config_command_in_the_ui_says_how_many_hosts(sim, tmp_path):
    tui = TUI(sim, extra_env={"HOME": str(tmp_path)})
    try:
        tui.wait_text("llama-ft-7")
        tui.send(":ssh-config\r")
        tui.wait_text("hosts to")
        running = [p for p in sim.call("GET", "/v2/pods") if p["status"] == "RUNNING" and p.get("sshCmd")]
        assert f"Wrote {len(running)} hosts" in tui.text(), tui.text()
        config = (tmp_path / ".ssh" / "config").read_text()
        assert config.count("\nHost ") + config.startswith("Host ") >= len(running) - 0
        assert "Host yotta-llama-ft-7" in config
    finally:
        tui.close()

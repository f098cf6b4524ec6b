"""End-to-end: the API key and a registry password never leak.

Not on any screen, not in the bytes written to the terminal, the log, the simulator's output,
the requests (the password only in the body of the create request that must carry it),
podtui's command line, or the environment of the programs it starts. Unsafe key files and
configs, and plain http to a non-loopback host, are refused in words with a non-zero exit.
"""
import json
import os
import stat
import subprocess

import pytest

from harness import BINARY, KEY, Sim, TUI

PASSWORD = "reg-pw-7Q2x9LmZ"
SECRETS = (KEY, PASSWORD)
TAB, ESC, CTRL_S, F1, F2 = "\t", "\x1b", "\x13", "\x1bOP", "\x1bOQ"


@pytest.fixture
def sim():
    s = Sim(speed=1)                 # real time: no status-change announcements over our messages
    yield s
    s.stop()


def leaks(text):
    if isinstance(text, (bytes, bytearray)):
        return [s for s in SECRETS if s.encode() in text]
    return [s for s in SECRETS if s in text]


def fill_form_with_password(tui, name="sec-pod"):
    """Name, image, GPU type, then the deprecated registry user and password."""
    tui.send("n")
    tui.wait_text("New pod")
    tui.wait_for(lambda t: "loading the list" not in t, what="picker lists loaded")
    tui.send(name + TAB + "ubuntu:22.04" + TAB + "4090")
    tui.wait_text("Filter: 4090")
    tui.send("\r")
    tui.wait_text("NVIDIA_RTX_4090_24G")
    for _ in range(30):
        if "▸Registry user" in tui.text():
            break
        tui.send(TAB, settle=0.05)
    assert "▸Registry user" in tui.text(), tui.text()
    tui.send("reguser" + TAB + PASSWORD)
    tui.wait_text("•" * len(PASSWORD))


def test_key_and_registry_password_stay_secret(sim):
    tui = TUI(sim)
    screens = {}

    def snap(what):
        tui.settle()
        screens[what] = tui.text()

    try:
        tui.wait_text("llama-ft-7")
        snap("list")
        with open(f"/proc/{tui.pid}/cmdline", "rb") as f:
            assert leaks(f.read()) == []
        tui.goto("llama-ft-7")
        tui.send("\r")
        tui.wait_text("Pod detail")
        tui.send("e")                    # env values shown
        snap("detail")
        tui.send(ESC)
        tui.send("?")
        tui.wait_text("Keys")
        snap("help")
        tui.send(" ")

        # An error from a mutation: the key rejected on pause.
        sim.fault("unauthorized", path="/v2/pods/", method="POST", count=1)
        tui.goto("llama-ft-7")
        tui.send("p")
        tui.wait_text("Pause llama-ft-7 failed")
        snap("pause error")

        fill_form_with_password(tui)
        snap("form")
        tui.send(F2)
        tui.wait_text("Command line")
        snap("command line")
        tui.send(" ")
        tui.send(F1)
        tui.wait_text("Keys: Create form")
        snap("form keys")
        tui.send(" ")

        # The server refuses once, naming the password field; then accepts.
        sim.fault("invalidParameters", path="/v2/pods", method="POST", count=1,
                  message="imageRegistryPassword: not accepted by the registry")
        tui.send(CTRL_S)
        tui.wait_text("not accepted by the registry")
        snap("create error")
        tui.send(CTRL_S)
        tui.wait_text("Created sec-pod")
        snap("created")
        tui.send("q")
        assert tui.wait_exit() == 0

        for what, screen in screens.items():
            assert leaks(screen) == [], what
        assert leaks(tui.raw) == []
        log = tui.log()
        assert "create sec-pod" in log   # this run's log, with the failed and the accepted create
        assert leaks(log) == []
        assert "listening on" in sim.output() and leaks(sim.output()) == []

        requests = sim.requests()
        assert requests and all(r["hadAPIKey"] for r in requests)
        assert all(KEY not in json.dumps(r) for r in requests)
        carrying = [r for r in requests if PASSWORD in json.dumps(r, ensure_ascii=False)]
        assert len(carrying) == 2        # the refused create and the accepted one, nothing else
        for r in carrying:
            assert (r["method"], r["path"]) == ("POST", "/v2/pods")
            assert PASSWORD not in r["query"]
            assert json.loads(r["body"])["imageRegistryPassword"] == PASSWORD
    finally:
        tui.close()


def test_server_error_echoing_secrets_is_redacted_beside_the_field(sim):
    tui = TUI(sim)
    try:
        tui.wait_text("llama-ft-7")
        fill_form_with_password(tui, name="echo-pod")
        sim.fault("invalidParameters", path="/v2/pods", method="POST", count=1,
                  message=f"imageRegistryPassword: {PASSWORD} rejected for key {KEY}")
        tui.send(CTRL_S)
        tui.wait_text("Create failed")
        tui.wait_text("rejected for key")
        assert leaks(tui.text()) == [], tui.text()
        assert leaks(tui.raw) == []
    finally:
        tui.close()


def test_ssh_child_gets_no_key(sim, tmp_path):
    """`s` runs ssh with the pod's sshCmd: a stand-in ssh records its environment and argv."""
    fake = tmp_path / "bin"
    fake.mkdir()
    dump = tmp_path / "dump"
    (fake / "ssh").write_text('#!/bin/sh\ncat /proc/$$/environ > "$PODTUI_E2E_DUMP.environ"\n'
                              'printf "%s\\0" "$@" > "$PODTUI_E2E_DUMP.args"\n')
    (fake / "ssh").chmod(0o755)
    tui = TUI(sim, extra_env={"PATH": f"{fake}:{os.environ['PATH']}", "PODTUI_E2E_DUMP": str(dump)})
    try:
        tui.wait_text("llama-ft-7")
        tui.goto("llama-ft-7")
        tui.send("s")
        tui.wait_text("ssh to llama-ft-7")
        environ = (tmp_path / "dump.environ").read_bytes().split(b"\0")
        args = (tmp_path / "dump.args").read_bytes()
        # It really was the pod's ssh command, rebuilt from its user, host and port.
        assert b"-l\0root\0--\0pod-0.yotta.run\0" in args
        assert any(e.startswith(b"PATH=") for e in environ)
        assert [e for e in environ if e.startswith(b"YOTTA_")] == []
        assert leaks(b"\0".join(environ)) == [] and leaks(args) == []
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def cli(args, env_extra, config_home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"XDG_CONFIG_HOME": str(config_home), "XDG_STATE_HOME": str(config_home / "state")})
    env.update(env_extra)
    return subprocess.run([BINARY, *args], env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def test_key_file_readable_by_others_is_refused(sim, tmp_path):
    key_file = tmp_path / "prod.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    result = cli(["pods", "list", "--api-key-file", str(key_file)], {"YOTTA_BASE_URL": sim.url}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(key_file) in result.stderr and "chmod 600" in result.stderr
    assert leaks(result.stdout + result.stderr) == []
    assert sim.requests() == []          # refused before anything was sent
    key_file.chmod(stat.S_IRUSR | stat.S_IWUSR)
    ok = cli(["pods", "list", "--api-key-file", str(key_file)], {"YOTTA_BASE_URL": sim.url}, tmp_path)
    assert ok.returncode == 0 and "llama-ft-7" in ok.stdout


def write_config_with_key(home, mode):
    (home / "podtui").mkdir(exist_ok=True)
    config = home / "podtui" / "config.yaml"
    config.write_text(f'default_profile: p\n\nprofiles:\n  p:\n    api_key: "{KEY}"\n')
    config.chmod(mode)
    return config


def test_config_with_key_readable_by_others_is_refused_by_cli_and_ui(sim, tmp_path):
    config = write_config_with_key(tmp_path, 0o644)
    result = cli(["pods", "list"], {"YOTTA_BASE_URL": sim.url}, tmp_path)
    assert result.returncode == 2
    assert str(config) in result.stderr and "chmod 600" in result.stderr
    assert leaks(result.stdout + result.stderr) == []
    # The UI refuses too, in words, before it takes over the terminal.
    tui = TUI(sim, extra_env={"XDG_CONFIG_HOME": str(tmp_path), "YOTTA_API_KEY": None},
              argv=[BINARY, "--interval", "1"])
    try:
        assert tui.wait_exit(10) == 2
        assert "chmod 600" in tui.text() and leaks(tui.raw) == []
        assert b"\x1b[?1049h" not in tui.raw and tui.termios_restored()
    finally:
        tui.close()
    assert sim.requests() == []


class PlainHTTP:
    url = "http://example.com"


def test_plain_http_to_another_host_is_refused_by_cli_and_ui(tmp_path):
    result = cli(["pods", "list"], {"YOTTA_BASE_URL": PlainHTTP.url, "YOTTA_API_KEY": KEY}, tmp_path)
    assert result.returncode == 2
    assert "Refusing plain http://" in result.stderr and "https://" in result.stderr
    assert leaks(result.stdout + result.stderr) == []
    tui = TUI(PlainHTTP)
    try:
        assert tui.wait_exit(10) == 2
        assert "Refusing plain http://" in tui.text() and leaks(tui.raw) == []
        assert b"\x1b[?1049h" not in tui.raw and tui.termios_restored()
    finally:
        tui.close()

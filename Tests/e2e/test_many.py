"""End-to-end: filter, marks and bulk actions, ssh, OSC 52 copy, read-only and NO_COLOR."""
import base64
import os
import re
import stat
import tempfile

import pytest

from harness import Sim, TUI

ENTER, ESC = "\r", "\x1b"


@pytest.fixture
def sim():
    s = Sim(speed=1)
    yield s
    s.stop()


def pods_by_name(sim):
    return {p.get("name"): p for p in sim.call("GET", "/v2/pods")}


def mutations(sim):
    return [r for r in sim.requests() if r["method"] in ("POST", "DELETE") and r["path"].startswith("/v2/")]


def test_filter_then_bulk_pause_sends_exactly_the_marked_pods(sim):
    t = TUI(sim)
    try:
        t.wait_text("llama-ft-7")
        t.send("/")
        t.send("status:running gpu:4090")
        t.send(ENTER)
        t.wait_for(lambda s: "llama-ft-7" not in s, what="filter applied")
        expected = {p["id"] for p in sim.call("GET", "/v2/pods")
                    if p["status"] == "RUNNING" and "4090" in (p["gpuType"] or "")}
        assert expected, "the demo fleet has running 4090 pods"
        t.send("*")
        t.wait_text(f"{len(expected)} pods marked")
        t.send("p")
        t.wait_text("marked pod")
        t.send("y")
        t.wait_text("Pause: ")
        t.wait_for(lambda s: f"{len(expected)}/{len(expected)} done" in s, what="bulk finished")
        paused = {int(r["path"].split("/")[3]) for r in mutations(sim)}
        assert paused == expected
        assert all(r["path"].endswith("/pause") for r in mutations(sim))
    finally:
        t.close()


def test_copy_emits_osc52_with_the_ssh_command(sim):
    t = TUI(sim)
    try:
        t.wait_text("llama-ft-7")
        t.select("llama-ft-7")
        ssh = pods_by_name(sim)["llama-ft-7"]["sshCmd"]
        # Not the API's text: the command s runs, rebuilt from host, port and user.
        user, host, port = re.fullmatch(r"ssh (\w+)@(\S+) -p (\d+)", ssh).groups()
        mark = len(t.raw)
        t.send("c")
        t.wait_text("Copied:")
        payload = base64.b64encode(f"ssh -p {port} -l {user} -- {host}".encode()).decode()
        assert f"\x1b]52;c;{payload}\x07".encode() in bytes(t.raw[mark:])
    finally:
        t.close()


def test_ssh_runs_with_the_pods_arguments_and_the_ui_comes_back(sim):
    tmp = tempfile.mkdtemp(prefix="podtui-ssh-")
    out = os.path.join(tmp, "ran")
    stub = os.path.join(tmp, "ssh")
    with open(stub, "w") as f:
        f.write(f"""#!/bin/sh
printf '%s\\n' "$@" > {out}.args
env > {out}.env
stty -a > {out}.stty 2>&1
echo "stub ssh session"
sleep 0.3
exit 0
""")
    os.chmod(stub, stat.S_IRWXU)
    t = TUI(sim, extra_env={"PATH": tmp + ":" + os.environ["PATH"]})
    try:
        t.wait_text("llama-ft-7")
        t.select("llama-ft-7")
        ssh = pods_by_name(sim)["llama-ft-7"]["sshCmd"]
        t.send("s")
        t.wait_for(lambda s: os.path.exists(out + ".args"), what="the stub ssh ran")
        t.wait_text("ssh to llama-ft-7: ended")
        t.wait_text("NAME")   # the full screen is back
        assert "stub ssh session" not in t.text()
        with open(out + ".args") as f:
            # The pod's user, host and port, as podtui rebuilds them (`--` before the host).
            user_host, port = re.match(r"ssh (\S+) -p (\d+)$", ssh).groups()
            user, host = user_host.split("@")
            assert f.read().split() == ["-p", port, "-l", user, "--", host]
        with open(out + ".env") as f:
            env = f.read()
        assert "YOTTA_API_KEY" not in env and "e2e-key" not in env   # the key stays in podtui
        with open(out + ".stty") as f:
            modes = f.read()
        assert " icanon" in modes and " echo" in modes   # ssh got a cooked terminal, not curses' raw one
        assert t.proc.poll() is None
    finally:
        t.close()


def test_read_only_sends_no_mutating_request_whatever_keys(sim):
    t = TUI(sim, args=["--read-only"])
    try:
        t.wait_text("llama-ft-7")
        for name in ("llama-ft-7", "sd-xl-train"):
            t.send(ESC)   # a y with nothing to confirm opens the raw view: back to the list first
            t.select(name)
            for keys in ("p", "y", "r", "y", "d", "y", "\r", "n", ENTER, "\x13", ESC, "C", "\x13", ESC, "y"):
                t.send(keys)
        t.send("*")
        t.send("p")
        t.send("y")
        t.send("d")
        t.send("y")
        t.wait_text("Read-only mode")
        assert mutations(sim) == []
    finally:
        t.close()


def test_no_color_emits_no_colour_sequences(sim):
    t = TUI(sim, extra_env={"NO_COLOR": "1"})
    try:
        t.wait_text("llama-ft-7")
        t.send("\r")
        t.wait_text("Pod detail")
        t.send(ESC + "?")
        t.wait_text("any key closes")
        t.send("x")
        t.pump(0.5)
        sgr = re.findall(rb"\x1b\[([0-9;]*)m", bytes(t.raw))
        colours = [s for s in sgr for p in s.split(b";") if re.fullmatch(rb"3[0-8]|4[0-8]|9[0-7]|10[0-7]", p)]
        assert colours == [], colours[:5]
        assert sgr, "attributes (bold, reverse) are still used"
    finally:
        t.close()

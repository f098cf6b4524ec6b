"""`F` and `:forwards` end to end (issue 28): the real podtui on a pty against the simulator,
whose pod's sshCmd points at a real sshd on loopback; the "pod"'s unexposed port is an HTTP
server here. podtui runs `ssh -N -L` from PATH: the loop's wrapper (which logs argv and the
names of its environment), then the real ssh with the loop's client config."""
import http.server
import os
import signal
import socket
import threading
import time
import urllib.request

import pytest

from harness import KEY, Sim, TUI, free_port
from sshloop import ssh_loop  # noqa: F401 (a fixture)


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from the pod"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


@pytest.fixture
def sim():
    s = Sim(scenario="empty")
    yield s
    s.stop()


def start(sim, loop, expose=()):
    ssh = f"ssh {loop.user}@127.0.0.1 -p {loop.port}"
    base = {"status": "RUNNING", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1, "singleCardPrice": 2.4}
    sim.call("POST", "/_sim/pods", [
        dict(base, id=5001, name="train", sshCmd=ssh, expose=[{"port": p, "protocol": "HTTP"} for p in expose]),
        dict(base, id=5004, name="evil", sshCmd=f"ssh -oProxyCommand=touch\\ /tmp/pwned {loop.user}@127.0.0.1"),
    ])
    with open(loop.known_hosts, "w") as f:
        f.write(f"[127.0.0.1]:{loop.port} {loop.host_public_key}\n")
    tui = TUI(sim, cols=150, rows=30, extra_env={"PATH": loop.env()["PATH"]})
    tui.wait_text("train")
    return tui


def fetch(url, timeout=20):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                return r.read()
        except OSError as error:
            last = error
            time.sleep(0.1)
    raise AssertionError(f"{url}: {last}")


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def forward(tui, ports):
    tui.goto("train")
    tui.send("F")
    tui.wait_text("forward port:")
    tui.send("\x15" + ports + "\r")   # ^U clears what the line offered


def test_F_forwards_an_unexposed_port_x_stops_it_and_quit_ends_the_rest(sim, ssh_loop, web):
    tui = start(sim, ssh_loop, expose=[8888, 6006])
    try:
        tui.goto("train")
        tui.send("F")
        tui.wait_text("forward port: 8888")          # the first exposed port, offered
        tui.send("\t")
        tui.wait_text("forward port: 6006")          # Tab: the next one
        local = free_port()
        tui.send("\x15" + f"{web}:{local}\r")
        tui.wait_text(f"Forwarding http://127.0.0.1:{local}/ to port {web} of train", timeout=20)
        assert fetch(f"http://127.0.0.1:{local}/") == b"hello from the pod"
        argv = ssh_loop.argvs()[-1]
        assert f"127.0.0.1:{local}:localhost:{web}" in argv and "-N" in argv and argv[argv.index("--") + 1] == "127.0.0.1"
        for names in ssh_loop.env_names():
            assert not [n for n in names if n.startswith("YOTTA_")], names
        assert not any(KEY in a for a in argv)

        tui.send(":forwards\r")
        tui.wait_text("listening")
        assert f"http://127.0.0.1:{local}/" in tui.text()
        clients = ssh_loop.client_pids()
        assert clients
        tui.send("x")
        tui.wait_text("No port-forwards", timeout=10)
        tui.wait_for(lambda _t: not [p for p in clients if alive(p)], timeout=10, what="the forward's ssh to end")
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{local}/", timeout=2)

        # Another, then quit: it ends with podtui.
        tui.send("\x1b")
        local2 = free_port()
        forward(tui, f"{web}:{local2}")
        tui.wait_text(f"Forwarding http://127.0.0.1:{local2}/", timeout=20)
        assert fetch(f"http://127.0.0.1:{local2}/") == b"hello from the pod"
        clients = ssh_loop.client_pids()
        tui.send("q")
        assert tui.wait_exit(10) == 0
        end = time.time() + 10
        while time.time() < end and [p for p in clients if alive(p)]:
            time.sleep(0.05)
        assert not [p for p in clients if alive(p)], "the forward's ssh outlived podtui"
    finally:
        tui.close()


def test_a_taken_local_port_is_refused_with_the_reason_a_hostile_pod_is_refused_and_SIGTERM_ends_forwards(sim, ssh_loop, web):
    tui = start(sim, ssh_loop)
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            forward(tui, f"{web}:{port}")
            tui.wait_text(f"local port {port} cannot be used: Address already in use", timeout=10)
            assert ssh_loop.argvs() == [], "ssh never started"
            # Not named: the next free one is used, and the message says so.
            forward(tui, str(port))
            tui.wait_text(f"({port} is taken)", timeout=20)
        tui.goto("evil")
        tui.send("F")
        tui.wait_text("ProxyCommand")
        assert "forward port:" not in tui.text()
        assert not os.path.exists("/tmp/pwned")
        tui.wait_for(lambda _t: ssh_loop.client_pids(), timeout=20, what="the forward's ssh to log in")
        clients = ssh_loop.client_pids()
        tui.kill(signal.SIGTERM)
        tui.wait_exit(10)
        end = time.time() + 10
        while time.time() < end and [p for p in clients if alive(p)]:
            time.sleep(0.05)
        assert not [p for p in clients if alive(p)], "the forward's ssh outlived podtui's SIGTERM"
    finally:
        tui.close()

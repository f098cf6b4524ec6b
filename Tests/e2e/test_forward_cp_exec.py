"""`podtui forward`, `cp` and `exec` end to end (issue 28): the real podtui against the
simulator, whose pods' sshCmd points at a real sshd on loopback (key login only). podtui runs
`ssh` (and scp, rsync) from PATH: the loop's wrapper first, which logs argv and environment
names, then runs the real ssh with the loop's client config."""
import http.server
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

import sshloop
from harness import BINARY, KEY, Sim


@pytest.fixture
def ssh_loop():
    """The loop's sshd with an SFTP server, as pods' images have (scp speaks SFTP)."""
    sshloop.skip_unless_available()
    with sshloop.SSHLoop(sshd_options=["Subsystem sftp internal-sftp"]) as loop:
        yield loop


@pytest.fixture
def sim():
    s = Sim(scenario="empty")
    yield s
    s.stop()


def pods(sim, loop, extra=()):
    """Pod 5001 `train` reaches the loop; `dup` twice; `evil` has a hostile sshCmd."""
    ssh = f"ssh {loop.user}@127.0.0.1 -p {loop.port}"
    base = {"status": "RUNNING", "gpuType": "NVIDIA_H100_80G", "gpuCount": 1, "singleCardPrice": 2.4}
    sim.call("POST", "/_sim/pods", [
        dict(base, id=5001, name="train", sshCmd=ssh),
        dict(base, id=5002, name="dup", sshCmd=ssh),
        dict(base, id=5003, name="dup", sshCmd=ssh),
        dict(base, id=5004, name="evil", sshCmd=f"ssh -oProxyCommand=touch\\ /tmp/pwned {loop.user}@127.0.0.1"),
        dict(base, id=5005, name="sleepy", status="PAUSED", sshCmd=ssh),
        *extra,
    ])
    # The loop's host key is known, as after a first `ssh` by hand (podtui adds no
    # StrictHostKeyChecking of its own to these user-facing commands).
    with open(loop.known_hosts, "w") as f:
        f.write(f"[127.0.0.1]:{loop.port} {loop.host_public_key}\n")


def environment(sim, loop, tmp_path, path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s"),
                "LANG": "C.UTF-8", "YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "SWIFT_BACKTRACE": "enable=no"})
    env = loop.env(env)
    if path is not None:
        env["PATH"] = os.pathsep.join([loop.bin, path])
    return env


def podtui(sim, loop, tmp_path, *args, input=None, path=None, timeout=60):
    return subprocess.run([BINARY, *args], env=environment(sim, loop, tmp_path, path), input=input,
                          capture_output=True, timeout=timeout, start_new_session=True)


def no_secrets_in_children(loop):
    for names in loop.env_names():
        assert not [n for n in names if n.startswith("YOTTA_")], names
    for argv in loop.argvs():
        assert not any(KEY in a for a in argv), argv


# ------------------------------------------------------------------ exec

def test_exec_passes_status_quoting_stdin_and_stdout(sim, ssh_loop, tmp_path):
    pods(sim, ssh_loop)
    words = ["a b", "x;y", "$HOME", "it's", "", "`id`", "*"]
    run = podtui(sim, ssh_loop, tmp_path, "exec", "train", "--", "printf", "%s\\n", *words)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().split("\n")[:-1] == words
    # The exit status is the command's.
    failed = podtui(sim, ssh_loop, tmp_path, "exec", "5001", "--", "sh", "-c", "echo out; echo err >&2; exit 7")
    assert (failed.returncode, failed.stdout, failed.stderr) == (7, b"out\n", b"err\n")
    # stdin reaches the command, bytes unchanged (no terminal on the pod).
    data = bytes(range(256)) * 64
    cat = podtui(sim, ssh_loop, tmp_path, "exec", "train", "--", "cat", input=data)
    assert cat.returncode == 0 and cat.stdout == data
    argv = ssh_loop.argvs()[0]
    dashes = argv.index("--")
    assert argv[dashes + 1] == "127.0.0.1" and len(argv) == dashes + 3
    no_secrets_in_children(ssh_loop)


def test_exec_refusals_name_the_reason_and_run_no_ssh(sim, ssh_loop, tmp_path):
    pods(sim, ssh_loop)
    evil = podtui(sim, ssh_loop, tmp_path, "exec", "evil", "--", "true")
    assert evil.returncode == 1 and b"ProxyCommand" in evil.stderr and b"refused" in evil.stderr
    dup = podtui(sim, ssh_loop, tmp_path, "exec", "dup", "--", "true")
    assert dup.returncode == 1 and b"2 pods are named dup; give one of their ids: 5002, 5003" in dup.stderr
    paused = podtui(sim, ssh_loop, tmp_path, "exec", "sleepy", "--", "true")
    assert paused.returncode == 1 and b"PAUSED" in paused.stderr
    missing = podtui(sim, ssh_loop, tmp_path, "exec", "nope", "--", "true")
    assert missing.returncode == 1 and b"no pod has the id or name nope" in missing.stderr
    read_only = podtui(sim, ssh_loop, tmp_path, "exec", "--read-only", "train", "--", "touch", "/tmp/x")
    assert read_only.returncode == 2 and b"read-only" in read_only.stderr and read_only.stderr.count(b"\n") == 1
    assert ssh_loop.argvs() == [] and not os.path.exists("/tmp/pwned")


def test_a_read_only_profile_refuses_exec_and_uploads_but_not_downloads(sim, ssh_loop, tmp_path):
    pods(sim, ssh_loop)
    config = tmp_path / "c" / "podtui"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(f'profiles:\n  ro:\n    base_url: {sim.url}\n    read_only: true\n')
    exe = podtui(sim, ssh_loop, tmp_path, "exec", "--profile", "ro", "train", "--", "true")
    assert exe.returncode == 2 and b"read_only: true" in exe.stderr
    (tmp_path / "up.txt").write_text("up")
    up = podtui(sim, ssh_loop, tmp_path, "cp", "--profile", "ro", str(tmp_path / "up.txt"), "train:/tmp/x")
    assert up.returncode == 2 and b"read-only" in up.stderr
    assert ssh_loop.argvs() == []
    remote = tmp_path / "remote.txt"
    remote.write_text("down")
    down = podtui(sim, ssh_loop, tmp_path, "cp", "--profile", "ro", f"train:{remote}", str(tmp_path / "got.txt"))
    assert down.returncode == 0, down.stderr
    assert (tmp_path / "got.txt").read_text() == "down"


# ------------------------------------------------------------------ cp

@pytest.mark.parametrize("via", ["auto", "scp"])
def test_cp_both_ways_with_awkward_names(sim, ssh_loop, tmp_path, via):
    pods(sim, ssh_loop)
    remote = tmp_path / "pod side"
    remote.mkdir()
    local = tmp_path / "a:b file.txt"
    local.write_bytes(b"checkpoint \x00\xff bytes\n" * 1000)
    up = podtui(sim, ssh_loop, tmp_path, "cp", "--via", via, str(local), f"train:{remote}/up;$x.txt")
    assert up.returncode == 0, up.stderr
    assert (remote / "up;$x.txt").read_bytes() == local.read_bytes()
    down = podtui(sim, ssh_loop, tmp_path, "cp", "--via", via, f"5001:{remote}/up;$x.txt", str(tmp_path / "back.txt"))
    assert down.returncode == 0, down.stderr
    assert (tmp_path / "back.txt").read_bytes() == local.read_bytes()
    # A directory with -r.
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "f").write_text("deep")
    rec = podtui(sim, ssh_loop, tmp_path, "cp", "--via", via, "-r", str(tree), f"train:{remote}/")
    assert rec.returncode == 0, rec.stderr
    assert (remote / "tree" / "sub" / "f").read_text() == "deep"
    # Piped output: no progress lines.
    assert up.stdout == b"" and down.stdout == b""
    used = [" ".join(a) for a in ssh_loop.argvs() if "command -v rsync" not in a]
    if via == "scp":
        assert all(a.endswith("sftp") for a in used), used
    else:
        # Both ends have rsync (scripts/test installs it): auto picks it.
        assert all("rsync --server" in a for a in used), used
    no_secrets_in_children(ssh_loop)


def test_cp_without_local_rsync_uses_scp_and_passes_the_status_on(sim, ssh_loop, tmp_path):
    pods(sim, ssh_loop)
    tools = tmp_path / "tools"
    tools.mkdir()
    os.symlink("/usr/bin/scp", tools / "scp")
    (tmp_path / "f.txt").write_text("x")
    up = podtui(sim, ssh_loop, tmp_path, "cp", str(tmp_path / "f.txt"), f"train:{tmp_path}/g.txt", path=str(tools))
    assert up.returncode == 0, up.stderr
    assert (tmp_path / "g.txt").read_text() == "x"
    assert [a for a in ssh_loop.argvs() if "command -v rsync" in " ".join(a)] == [], "no rsync here: the pod is not asked"
    missing = podtui(sim, ssh_loop, tmp_path, "cp", f"train:{tmp_path}/absent.txt", str(tmp_path / "h.txt"), path=str(tools))
    assert missing.returncode != 0 and not (tmp_path / "h.txt").exists()
    usage = podtui(sim, ssh_loop, tmp_path, "cp", "a", "b")
    assert usage.returncode == 2 and b"one side must be the pod's" in usage.stderr


# ------------------------------------------------------------------ forward

class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello through the tunnel"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """An HTTP server on a loopback port: the pod's unexposed port."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_forward(sim, loop, tmp_path, *args):
    out = tempfile.NamedTemporaryFile(prefix="forward-out-")
    err = tempfile.NamedTemporaryFile(prefix="forward-err-")
    proc = subprocess.Popen([BINARY, "forward", *args], env=environment(sim, loop, tmp_path), stdin=subprocess.DEVNULL,
                            stdout=out, stderr=err, start_new_session=True)
    return proc, out, err


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


def ssh_children(pid):
    """Processes whose parent is `pid` (podtui's ssh)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] not in "ZX":
                    found.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return found


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_forward_opens_an_unexposed_port_until_interrupted(sim, ssh_loop, tmp_path, web, how):
    pods(sim, ssh_loop)
    local = free_port()
    proc, out, err = start_forward(sim, ssh_loop, tmp_path, "train", f"{web}:{local}")
    try:
        assert fetch(f"http://127.0.0.1:{local}/") == b"hello through the tunnel"
        out.seek(0)
        assert f"http://127.0.0.1:{local}/".encode() in out.read()
        children = ssh_children(proc.pid)
        assert len(children) == 1
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)     # as a terminal does: the whole group
        else:
            proc.send_signal(signal.SIGTERM)       # podtui only: it ends ssh itself
        assert proc.wait(10) == 0
        assert not [c for c in children if os.path.exists(f"/proc/{c}") and open(f"/proc/{c}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX"]
        argv = ssh_loop.argvs()[0]
        assert f"127.0.0.1:{local}:localhost:{web}" in argv and argv[argv.index("--") + 1] == "127.0.0.1"
        no_secrets_in_children(ssh_loop)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def test_forward_refuses_a_taken_local_port_before_ssh_and_picks_the_next_when_not_named(sim, ssh_loop, tmp_path, web):
    pods(sim, ssh_loop)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        named = subprocess.run([BINARY, "forward", "train", f"{web}:{port}"], env=environment(sim, ssh_loop, tmp_path),
                               capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        assert named.returncode == 1
        assert f"local port {port} cannot be used: Address already in use".encode() in named.stderr
        assert ssh_loop.argvs() == [], "ssh never started"
        # Not named: the remote port's number is taken here, so the next free one is used.
        proc, out, err = start_forward(sim, ssh_loop, tmp_path, "5001", str(port))
        try:
            end = time.time() + 10
            text = b""
            while b"Forwarding" not in text and time.time() < end:
                out.seek(0)
                text = out.read()
                time.sleep(0.05)
            url = text.decode().split()[1]
            assert url != f"http://127.0.0.1:{port}/"
            err.seek(0)
            assert f"local port {port} is taken".encode() in err.read()
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(10) == 0
    bad = podtui(sim, ssh_loop, tmp_path, "forward", "train", "99999")
    assert bad.returncode == 2 and b"99999 is not a port" in bad.stderr
    evil = podtui(sim, ssh_loop, tmp_path, "forward", "evil", "80")
    assert evil.returncode == 1 and b"ProxyCommand" in evil.stderr


def own_terminal():
    """In the child: a session whose controlling terminal is its stdout (the pty), with its
    group in the foreground, as under a shell (scp draws progress only then)."""
    import fcntl
    import termios
    os.setsid()
    fcntl.ioctl(1, termios.TIOCSCTTY, 0)


@pytest.mark.parametrize("via", ["rsync", "scp"])
def test_cp_shows_progress_on_a_terminal(sim, ssh_loop, tmp_path, via):
    import pty
    pods(sim, ssh_loop)
    (tmp_path / "big.bin").write_bytes(os.urandom(256 * 1024))
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([BINARY, "cp", "--via", via, str(tmp_path / "big.bin"), f"train:{tmp_path}/copy.bin"],
                                env=environment(sim, ssh_loop, tmp_path), stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=subprocess.PIPE, preexec_fn=own_terminal)
        os.close(slave)
        slave = None
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:                  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert proc.wait(30) == 0, proc.stderr.read()
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert b"100%" in shown, shown
    assert (tmp_path / "copy.bin").read_bytes() == (tmp_path / "big.bin").read_bytes()


def test_exec_hands_sigterm_to_ssh_and_ends_with_it(sim, ssh_loop, tmp_path):
    pods(sim, ssh_loop)
    proc = subprocess.Popen([BINARY, "exec", "train", "--", "sleep", "60"], env=environment(sim, ssh_loop, tmp_path),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        end = time.time() + 20
        while ssh_loop.sshd_sessions() < 1 and time.time() < end:
            time.sleep(0.05)
        children = ssh_children(proc.pid)
        assert len(children) == 1, "ssh runs"
        proc.send_signal(signal.SIGTERM)           # podtui only: it hands the signal on
        status = proc.wait(10)
        assert status != 0, "ssh was ended, not successful"
        assert not [c for c in children if os.path.exists(f"/proc/{c}") and open(f"/proc/{c}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX"]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

"""A throwaway OpenSSH server on loopback, for end-to-end tests of GPU probing over ssh.

`SSHLoop` runs the system's real `/usr/sbin/sshd` on a free 127.0.0.1 port with its own
host key, config and log in a private temp dir. Only the loop's "good" client key may log in.
The remote command gets a PATH whose first entry is a stub dir. In it, `nvidia-smi` (and
`rocm-smi` if a test asks for it) print whatever the test last set. They read their output
from files at each run, so a test can change the figures between probes.

The client side is `loop.bin`, a dir to put first in PATH (`loop.env(base)`). Its `ssh`
logs its argv and the names of its environment variables, then execs the real ssh with
`-F <loop client config>`. OpenSSH reads ~/.ssh from the passwd entry, not $HOME, so
`-F` keeps these tests away from the real ~/.ssh (ssh does not even create that dir when
given -F).

    with SSHLoop() as loop:
        loop.set_nvidia(["0, 97, 40000, 81559"])
        run = subprocess.run(["ssh", *PODTUI_OPTIONS, "-p", str(loop.port), "-l", loop.user,
                              "--", loop.host, "nvidia-smi ..."], env=loop.env(os.environ), ...)

Every subprocess has a timeout, nothing can prompt (BatchMode everywhere), and a failed
start cleans up after itself.
"""
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

SSHD = "/usr/sbin/sshd"           # sshd re-executes itself, so it must be run by absolute path
DEFAULT_NVIDIA = ["0, 0, 0, 81559"]
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
UNSAFE_PATH = re.compile(r"[\s\"'\\#]")


def _real_ssh(exclude=()):
    """The ssh client on PATH, skipping dirs in `exclude` (a loop's own wrapper dir), or
    /usr/bin/ssh when PATH has none."""
    excluded = {os.path.realpath(d) for d in exclude}
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and os.path.realpath(d) not in excluded]
    found = shutil.which("ssh", path=os.pathsep.join(dirs)) if dirs else None
    if found is None and os.access("/usr/bin/ssh", os.X_OK):
        found = "/usr/bin/ssh"
    return os.path.abspath(found) if found else None


def why_unavailable():
    """Why an SSHLoop cannot run here (a sentence naming the missing piece), or None."""
    if not os.access(SSHD, os.X_OK):
        return f"{SSHD} is missing (install openssh-server)"
    if _real_ssh() is None:
        return "no ssh client on PATH (install openssh-client)"
    if shutil.which("ssh-keygen") is None:
        return "no ssh-keygen on PATH (install openssh-client)"
    return None


def available():
    """True when /usr/sbin/sshd, ssh and ssh-keygen are all there."""
    return why_unavailable() is None


def skip_unless_available():
    """pytest.skip, saying what is missing, when an SSHLoop cannot run here."""
    reason = why_unavailable()
    if reason:
        import pytest
        pytest.skip(f"sshloop: {reason}")


# ---------------------------------------------------------------- processes

def _proc_stat(pid):
    """(ppid, start time) of a process from /proc, or None when it is gone (or a zombie:
    the init of some containers never reaps the sessions orphaned when sshd ends)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        if fields[0] in ("Z", "X"):
            return None
        return int(fields[1]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _children_map():
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _proc_stat(int(name))
            if st:
                children.setdefault(st[0], []).append(int(name))
    return children


def _descendants(roots, depths=None):
    """{pid: start time} of every process below the `roots` pids (not the roots); `depths`,
    a dict, also gets each one's depth below its root (1: a child)."""
    children, found, todo = _children_map(), {}, [(r, 0) for r in roots]
    while todo:
        parent, depth = todo.pop()
        for child in children.get(parent, ()):
            st = _proc_stat(child)
            if st and child not in found:
                found[child] = st[1]
                if depths is not None:
                    depths[child] = depth + 1
                todo.append((child, depth + 1))
    return found


def _kill_tree(root):
    """SIGKILLs every process below `root`, deepest first, each level once the one below
    is reaped, so every parent is still alive to reap its child: killing them all at once
    orphans them to init, and some containers' init never reaps (zombies pile up)."""
    for _ in range(3):
        depths = {}
        found = _descendants([root], depths)
        if not found:
            return
        for depth in sorted(set(depths.values()), reverse=True):
            level = {pid: found[pid] for pid in found if depths[pid] == depth}
            _kill_exact(level)
            end = time.time() + 1
            while time.time() < end and any(_proc_stat(pid) and _proc_stat(pid)[1] == t for pid, t in level.items()):
                time.sleep(0.01)


def _kill_exact(pids, sig=signal.SIGKILL):
    """Signals each pid in {pid: start time}, only if it is still that same process."""
    for pid, started in pids.items():
        st = _proc_stat(pid)
        if st and st[1] == started:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass


def _write_atomic(path, data, mode=0o600):
    """Writes a file so a concurrent reader sees the old content or the new, never half."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _run(args, timeout=30, **kwargs):
    return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, **kwargs)


WRAPPER = """#!{python} -I
# sshloop: logs what it was given, then runs the real ssh with the loop's client config.
import json, os, sys
def log(path, value):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(value) + "\\n").encode())   # one write: lines never interleave
    finally:
        os.close(fd)
log({argv_log!r}, sys.argv[1:])
log({env_log!r}, sorted(os.environ))
os.execv({real!r}, [{real!r}, "-F", {config!r}] + sys.argv[1:])
"""

STUB = """#!/bin/sh
# sshloop stub {name}: its output, stderr, exit status and delay are files the test rewrites.
printf '%s\\n' "$*" >> {base}.calls
delay=$(cat {base}.delay 2>/dev/null)
case "$delay" in ''|0) ;; *) sleep "$delay" ;; esac
cat {base}.out 2>/dev/null
cat {base}.err >&2 2>/dev/null
exit "$(cat {base}.rc 2>/dev/null || echo 0)"
"""


class SSHLoop:
    """A throwaway sshd on 127.0.0.1 with stub GPU tools, plus the client wrapper that
    reaches it. Use as a context manager or call start() and stop()."""

    def __init__(self, user=None, nvidia=DEFAULT_NVIDIA, sshd_options=(), start_timeout=30):
        """`user`: the account allowed to log in (the current one by default: root here and
        in CI). `nvidia`: what the stub nvidia-smi prints at first (None: absent).
        `sshd_options`: extra sshd_config lines (e.g. "MaxSessions 2")."""
        self.user = user or pwd.getpwuid(os.getuid()).pw_name
        self.host = "127.0.0.1"
        self.port = None
        self.dir = None
        self._initial_nvidia = nvidia
        self._sshd_options = list(sshd_options)
        self._start_timeout = start_timeout
        self._proc = None
        self._base = {}
        self.key_in_use = "good"

    # ------------------------------------------------------------ lifecycle

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        reason = why_unavailable()
        if reason:
            raise RuntimeError(f"sshloop: cannot start: {reason}")
        try:
            self._prepare()
            self._launch()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Ends sshd and every session under it, waits for the ssh clients that were connected
        to it (a ControlPersist master quits when its connection drops; one still hanging on
        after 5 s is killed), and removes the temp dir. Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None:
            sessions = _descendants([proc.pid])
            _kill_tree(proc.pid)              # the sessions (they escape the process group: setsid)
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            for _ in range(3):                # any session that began meanwhile, now orphaned
                sessions.update(_descendants(list(sessions)))
                _kill_exact(sessions)
                time.sleep(0.02)
            end = time.time() + 5
            while self.port and self.client_pids() and time.time() < end:
                time.sleep(0.05)
            if self.port:
                for pid in self.client_pids():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
        if self.dir and os.path.isdir(self.dir):
            shutil.rmtree(self.dir, ignore_errors=True)

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _prepare(self):
        tmp = tempfile.gettempdir()
        if UNSAFE_PATH.search(tmp):           # sshd_config and the stubs take bare paths
            tmp = "/tmp"
        self.dir = tempfile.mkdtemp(prefix="sshloop-", dir=tmp)
        os.chmod(self.dir, 0o700)
        self.bin = self._path("bin")
        self.stubs = self._path("stubs")
        self.home = self._path("home")
        # ssh binds the ControlPath socket as "<path>.<16 random chars>" first, and a Unix
        # socket path has at most 107 bytes: DIR/%C (40 hex) needs a DIR of 50 or fewer.
        self.control_dir = self._path("cm")
        for d in (self.bin, self.stubs, self.home, self.control_dir):
            os.mkdir(d, 0o700)
        self.host_key = self._path("host_ed25519")
        self.good_key = self._path("good_ed25519")
        self.bad_key = self._path("bad_ed25519")
        for key, comment in ((self.host_key, "sshloop-host"), (self.good_key, "sshloop-good"),
                             (self.bad_key, "sshloop-bad")):
            run = _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key])
            if run.returncode != 0:
                raise RuntimeError(f"sshloop: ssh-keygen failed: {run.stderr.strip()}")
        with open(self.host_key + ".pub") as f:
            self.host_public_key = f.read().strip()
        self.authorized_keys = self._path("authorized_keys")
        with open(self.good_key + ".pub") as f:
            _write_atomic(self.authorized_keys, f.read())
        self.sshd_config = self._path("sshd_config")
        self.sshd_log = self._path("sshd.log")
        self.sshd_output = self._path("sshd.out")
        self.pid_file = self._path("sshd.pid")
        self.client_config = self._path("ssh_config")
        self.known_hosts = self._path("known_hosts")
        self.argv_log = self._path("argv.log")
        self.env_log = self._path("env.log")
        for path in (self.argv_log, self.env_log, self.known_hosts):
            _write_atomic(path, "")
        # The remote shell's HOME is ours too: bash run by sshd reads ~/.bashrc, and the
        # account's real one (here it runs `pyenv init`, prepends PATH) must not shape tests.
        _write_atomic(os.path.join(self.home, ".bashrc"), "")
        self.real_ssh = _real_ssh(exclude=[self.bin])
        self.use_key("good")
        _write_atomic(os.path.join(self.bin, "ssh"), WRAPPER.format(
            python=sys.executable, argv_log=self.argv_log, env_log=self.env_log,
            real=self.real_ssh, config=self.client_config), mode=0o700)
        if self._initial_nvidia is not None:
            self.set_nvidia(self._initial_nvidia)
        if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)   # sshd's privsep chroot

    def _write_sshd_config(self, extra):
        lines = [
            f"ListenAddress 127.0.0.1:{self.port}",
            "AddressFamily inet",
            f"HostKey {self.host_key}",
            f"PidFile {self.pid_file}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "StrictModes no",
            "PrintMotd no",
            "PrintLastLog no",
            f"AllowUsers {self.user}",
            "LogLevel VERBOSE",               # logs "Connection from", "Starting session"
            "UseDNS no",
            "X11Forwarding no",
            # Applied after sshd's own PATH and HOME, before the user's shell starts.
            f"SetEnv PATH={self.stubs}:{SYSTEM_PATH} HOME={self.home}",
        ] + extra + self._sshd_options
        _write_atomic(self.sshd_config, "\n".join(lines) + "\n")

    def _config_test(self):
        run = _run([SSHD, "-t", "-f", self.sshd_config])
        return run.returncode == 0, (run.stdout + run.stderr).strip()

    def _launch(self):
        # OpenSSH >= 9.8 penalises a source address after failed logins; bad-key tests must
        # not lock the good ones out. Older sshd rejects the option, so try it first.
        self.port = _free_port()
        self._write_sshd_config(["PerSourcePenalties no"])
        ok, _ = self._config_test()
        extra = ["PerSourcePenalties no"] if ok else []
        last = ""
        for _attempt in range(3):
            self._write_sshd_config(extra)
            ok, message = self._config_test()
            if not ok:
                raise RuntimeError(f"sshloop: sshd rejects its config {self.sshd_config}:\n{message}")
            with open(self.sshd_output, "ab") as out:
                self._proc = subprocess.Popen([SSHD, "-D", "-f", self.sshd_config, "-E", self.sshd_log],
                                              stdin=subprocess.DEVNULL, stdout=out, stderr=out)
            last = self._wait_for_login()
            if last is None:
                self._base = self._counts()
                return
            if "Address already in use" in self.sshd_log_text() + self._output_text():
                self._stop_sshd()
                self.port = _free_port()
                continue
            break
        raise RuntimeError(f"sshloop: sshd on 127.0.0.1:{self.port} did not accept a login: {last}\n"
                           f"--- sshd output ---\n{self._output_text()}\n"
                           f"--- sshd log ---\n{self.sshd_log_text()}")

    def _stop_sshd(self):
        proc, self._proc = self._proc, None
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait(5)

    def _wait_for_login(self):
        """None once the good key logs in and the remote PATH finds the stub first; else why not."""
        end = time.time() + self._start_timeout
        check = 'command -v nvidia-smi rocm-smi; printf "PATH=%s\\nHOME=%s\\n" "$PATH" "$HOME"'
        stub = os.path.join(self.stubs, "nvidia-smi")
        why = "sshd did not start"
        while time.time() < end:
            if self._proc.poll() is not None:
                return f"sshd exited with status {self._proc.returncode}"
            try:
                run = _run([self.real_ssh, "-F", self.client_config,
                            "-o", f"UserKnownHostsFile={self._path('known_hosts.start')}",
                            "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=5",
                            "-p", str(self.port), "-l", self.user, "--", self.host, check], timeout=15)
            except subprocess.TimeoutExpired:
                why = "the login attempt timed out"
                continue
            if run.returncode == 0:
                path = next((l[5:] for l in run.stdout.splitlines() if l.startswith("PATH=")), "")
                if not path.startswith(self.stubs + ":"):
                    return f"the remote PATH does not start with the stub dir: {run.stdout!r}"
                if os.path.exists(stub) and stub not in run.stdout.splitlines():
                    return f"the remote shell does not find the stub nvidia-smi: {run.stdout!r}"
                return None
            why = f"ssh exited {run.returncode}: {run.stderr.strip()}"
            if "Connection refused" not in run.stderr:
                return why
            time.sleep(0.1)
        return why

    # ------------------------------------------------------------ client side

    def use_key(self, which="good"):
        """Which key the next NEW connection offers: "good", "bad" (not authorized: ssh says
        "Permission denied (publickey)" and exits 255), "none", or a key file's path. A live
        ControlMaster connection is unaffected."""
        key = {"good": self.good_key, "bad": self.bad_key, "none": "none"}.get(which, which)
        lines = [
            "Host *",
            f"  IdentityFile {key}",
            "  IdentitiesOnly yes",
            "  IdentityAgent none",
            f"  UserKnownHostsFile {self.known_hosts}",
            "  GlobalKnownHostsFile /dev/null",
            "  HashKnownHosts no",
            "  UpdateHostKeys no",
            "  BatchMode yes",
            "  PasswordAuthentication no",
            "  KbdInteractiveAuthentication no",
            "  PreferredAuthentications publickey",
            "  ForwardAgent no",
            "  LogLevel ERROR",
        ]
        _write_atomic(self.client_config, "\n".join(lines) + "\n")
        self.key_in_use = which

    def env(self, base_env=None):
        """A copy of `base_env` (os.environ by default) with loop.bin first in PATH."""
        env = dict(os.environ if base_env is None else base_env)
        env["PATH"] = os.pathsep.join([self.bin] + [p for p in env.get("PATH", SYSTEM_PATH).split(os.pathsep) if p])
        return env

    def argvs(self):
        """Every argv the wrapper ssh got (the arguments after argv[0]), oldest first."""
        return _json_lines(self.argv_log)

    def env_names(self):
        """For each wrapper run, the sorted names of its environment variables."""
        return _json_lines(self.env_log)

    def client_pids(self):
        """Pids of processes with a TCP connection to this sshd (established, or closed by the
        server and not yet by them): the clients, e.g. a ControlPersist master still alive."""
        want = f"0100007F:{self.port:04X}"
        inodes = set()
        try:
            with open("/proc/net/tcp") as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if len(fields) > 9 and fields[2] == want and fields[3] in ("01", "08"):
                        inodes.add(f"socket:[{fields[9]}]")
        except OSError:
            return []
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                fds = os.listdir(f"/proc/{name}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(f"/proc/{name}/fd/{fd}") in inodes:
                        pids.append(int(name))
                        break
                except OSError:
                    pass
        return sorted(pids)

    # ------------------------------------------------------------ stub GPU tools

    def _set_stub(self, name, text, rc, stderr, delay):
        if not isinstance(text, str):
            text = "".join(f"{line}\n" for line in text)
        base = os.path.join(self.dir, name)
        _write_atomic(base + ".out", text)
        _write_atomic(base + ".err", stderr)
        _write_atomic(base + ".rc", f"{int(rc)}\n")
        _write_atomic(base + ".delay", f"{delay}\n")
        _write_atomic(os.path.join(self.stubs, name), STUB.format(name=name, base=shlex.quote(base)), mode=0o755)

    def _remove_stub(self, name):
        try:
            os.unlink(os.path.join(self.stubs, name))
        except FileNotFoundError:
            pass

    def _calls(self, name):
        try:
            with open(os.path.join(self.dir, name + ".calls")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def set_nvidia(self, lines, rc=0, stderr="", delay=0):
        """What the stub nvidia-smi prints at its next run: a list of CSV lines (one per GPU,
        like "0, 97, 40000, 81559") or a raw string; its exit status, stderr, and seconds to
        sleep first (to make a probe slow)."""
        self._set_stub("nvidia-smi", lines, rc, stderr, delay)

    def remove_nvidia(self):
        """No nvidia-smi on the remote PATH: the remote shell says "command not found", 127."""
        self._remove_stub("nvidia-smi")

    def set_rocm(self, text, rc=0, stderr="", delay=0):
        """The same for a stub rocm-smi (absent until this is called)."""
        self._set_stub("rocm-smi", text, rc, stderr, delay)

    def remove_rocm(self):
        self._remove_stub("rocm-smi")

    def nvidia_calls(self):
        """How many times the stub nvidia-smi has run."""
        return len(self._calls("nvidia-smi"))

    def nvidia_args(self):
        """The arguments of each stub nvidia-smi run, space-joined, oldest first."""
        return self._calls("nvidia-smi")

    def rocm_calls(self):
        return len(self._calls("rocm-smi"))

    def rocm_args(self):
        return self._calls("rocm-smi")

    def set_remote_bashrc(self, text):
        """The ~/.bashrc that the remote bash reads (empty by default), e.g. one that prints a
        banner to stdout the way some pods' images do."""
        _write_atomic(os.path.join(self.home, ".bashrc"), text)

    # ------------------------------------------------------------ sshd's view

    def sshd_log_text(self):
        try:
            with open(self.sshd_log, errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return ""

    def _output_text(self):
        try:
            with open(self.sshd_output, errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return ""

    def _counts(self):
        log = self.sshd_log_text()
        return {"connections": log.count("Connection from "),
                "logins": log.count("Accepted publickey for "),
                "sessions": log.count("Starting session: "),
                "failures": log.count("Failed publickey for ") + log.count("Connection closed by authenticating user")}

    def sshd_connections(self):
        """TCP connections sshd accepted since start() (or reset_counts()), whether or not the
        login succeeded. With ControlMaster, many probes cost one."""
        return self._counts()["connections"] - self._base.get("connections", 0)

    def sshd_logins(self):
        """Successful public-key logins since start() (or reset_counts())."""
        return self._counts()["logins"] - self._base.get("logins", 0)

    def sshd_sessions(self):
        """Remote commands (session channels) sshd started since start() (or reset_counts())."""
        return self._counts()["sessions"] - self._base.get("sessions", 0)

    def reset_counts(self):
        """Starts every count afresh: sshd's, the stubs' and the wrapper's logs."""
        self._base = self._counts()
        for name in ("nvidia-smi.calls", "rocm-smi.calls"):
            _write_atomic(self._path(name), "")
        for path in (self.argv_log, self.env_log):
            _write_atomic(path, "")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _json_lines(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


try:
    import pytest

    @pytest.fixture
    def ssh_loop():
        """A started SSHLoop, stopped after the test; the test is skipped, saying why, when
        sshd or the ssh client is not installed."""
        skip_unless_available()
        with SSHLoop() as loop:
            yield loop
except ImportError:                          # usable without pytest too
    pass

"""The sshloop fixture itself, driven with its wrapper ssh and the options podtui passes (no
podtui here): the stub GPU tools answer over a real login, a key that is not authorized is
refused, ControlMaster costs one handshake for many commands, and the logs are written."""
import os
import pathlib
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest

import sshloop
from sshloop import SSHLoop, ssh_loop  # noqa: F401  (ssh_loop is a fixture)

QUERY = "nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits"
GPUS = ["0, 97, 40000, 81559", "1, 3, 1024, 81559"]


def ssh_argv(loop, command, control_dir=None):
    """The argv podtui runs: ssh from PATH, options, `--`, the destination, one command."""
    argv = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "StrictHostKeyChecking=accept-new"]
    if control_dir:
        argv += ["-o", "ControlMaster=auto", "-o", f"ControlPath={control_dir}/%C", "-o", "ControlPersist=70"]
    return argv + ["-p", str(loop.port), "-l", loop.user, "--", loop.host, command]


def run(loop, argv, env=None, timeout=20):
    return subprocess.run(argv, env=loop.env(env), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)


def test_a_good_key_runs_the_stub_and_gets_its_lines(ssh_loop):
    ssh_loop.set_nvidia(GPUS)
    probe = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines() == GPUS
    assert ssh_loop.nvidia_calls() == 1
    assert ssh_loop.nvidia_args() == ["--query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits"]
    assert (ssh_loop.sshd_connections(), ssh_loop.sshd_logins(), ssh_loop.sshd_sessions()) == (1, 1, 1)


def test_new_figures_show_at_the_next_probe(ssh_loop):
    ssh_loop.set_nvidia(["0, 10, 100, 81559"])
    first = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    ssh_loop.set_nvidia(["0, 90, 80000, 81559"], rc=0)
    second = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    assert (first.stdout, second.stdout) == ("0, 10, 100, 81559\n", "0, 90, 80000, 81559\n")
    ssh_loop.set_nvidia("", rc=9, stderr="NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")
    failed = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    assert failed.returncode == 9 and "couldn't communicate" in failed.stderr
    assert ssh_loop.nvidia_calls() == 3


def test_a_key_that_is_not_authorized_is_refused_with_255(ssh_loop):
    ssh_loop.use_key("bad")
    probe = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    assert probe.returncode == 255
    assert "Permission denied (publickey)" in probe.stderr
    assert ssh_loop.nvidia_calls() == 0
    assert (ssh_loop.sshd_connections(), ssh_loop.sshd_logins()) == (1, 0)
    ssh_loop.use_key("good")
    assert run(ssh_loop, ssh_argv(ssh_loop, QUERY)).returncode == 0, "one refusal does not lock the good key out"


def test_a_long_controlpath_is_refused_by_ssh_itself(ssh_loop):
    # podtui's DIR in ControlPath=DIR/%C must be short: ssh binds "<path>.<16 chars>" first.
    long_dir = os.path.join(ssh_loop.dir, "x" * 40)
    os.mkdir(long_dir)
    probe = run(ssh_loop, ssh_argv(ssh_loop, QUERY, long_dir))
    assert probe.returncode == 255 and "too long for Unix domain socket" in probe.stderr


def test_controlmaster_makes_two_probes_cost_one_login_and_O_exit_ends_it(ssh_loop):
    control = pathlib.Path(ssh_loop.control_dir)
    began = time.time()
    first = run(ssh_loop, ssh_argv(ssh_loop, QUERY, control))
    assert first.returncode == 0, first.stderr
    assert time.time() - began < 10, "the backgrounded master must not hold the first call's pipes open"
    ssh_loop.use_key("bad")               # only a NEW connection would notice: the master is reused
    second = run(ssh_loop, ssh_argv(ssh_loop, QUERY, control))
    assert second.returncode == 0, second.stderr
    assert first.stdout == second.stdout == "".join(f"{g}\n" for g in sshloop.DEFAULT_NVIDIA)
    assert (ssh_loop.sshd_connections(), ssh_loop.sshd_logins(), ssh_loop.sshd_sessions()) == (1, 1, 2)
    assert len(list(control.iterdir())) == 1, "one control socket"
    masters = ssh_loop.client_pids()
    assert len(masters) == 1, "the ControlPersist master stays connected"
    argv = ssh_argv(ssh_loop, QUERY, control)
    stop = run(ssh_loop, argv[:1] + ["-O", "exit"] + argv[1:-1])
    assert stop.returncode == 0, stop.stderr
    end = time.time() + 5
    while ssh_loop.client_pids() and time.time() < end:
        time.sleep(0.05)
    assert ssh_loop.client_pids() == [] and list(control.iterdir()) == []
    refused = run(ssh_loop, ssh_argv(ssh_loop, QUERY, control))
    assert refused.returncode == 255 and "Permission denied (publickey)" in refused.stderr


def test_without_nvidia_smi_the_shell_says_not_found_with_127(ssh_loop):
    ssh_loop.remove_nvidia()
    probe = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    assert probe.returncode == 127 and "not found" in probe.stderr
    assert probe.stdout == "" and ssh_loop.nvidia_calls() == 0


def test_rocm_smi_is_absent_until_set(ssh_loop):
    assert run(ssh_loop, ssh_argv(ssh_loop, "rocm-smi --showuse")).returncode == 127
    ssh_loop.set_rocm("GPU[0] : GPU use (%): 42\n")
    probe = run(ssh_loop, ssh_argv(ssh_loop, "rocm-smi --showuse"))
    assert probe.returncode == 0 and probe.stdout == "GPU[0] : GPU use (%): 42\n"
    assert ssh_loop.rocm_calls() == 1 and ssh_loop.rocm_args() == ["--showuse"]
    ssh_loop.remove_rocm()
    assert run(ssh_loop, ssh_argv(ssh_loop, "rocm-smi")).returncode == 127


def test_the_wrapper_logs_argv_and_environment_names(ssh_loop):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env["SSHLOOP_MARK"] = "value-not-logged"
    argv = ssh_argv(ssh_loop, QUERY, ssh_loop.control_dir)
    assert run(ssh_loop, argv, env=env).returncode == 0
    assert ssh_loop.argvs() == [argv[1:]]
    logged = ssh_loop.argvs()[0]
    assert logged.index("--") == logged.index("127.0.0.1") - 1
    assert any(a.startswith("ControlPath=") for a in logged)
    names = ssh_loop.env_names()
    assert len(names) == 1 and "SSHLOOP_MARK" in names[0] and "PATH" in names[0]
    assert not any(n.startswith("YOTTA_") for n in names[0])
    assert "value-not-logged" not in open(ssh_loop.env_log).read()
    ssh_loop.reset_counts()
    assert ssh_loop.argvs() == [] and ssh_loop.sshd_connections() == 0
    run(ssh_loop, argv[:1] + ["-O", "exit"] + argv[1:-1], env=env)


def test_the_remote_shell_reads_the_loops_bashrc_not_the_accounts(ssh_loop):
    probe = run(ssh_loop, ssh_argv(ssh_loop, 'printf "%s\\n" "$PATH" "$HOME"; command -v nvidia-smi'))
    path, home, found = probe.stdout.splitlines()
    assert path.split(":")[0] == ssh_loop.stubs and home == ssh_loop.home
    assert found == os.path.join(ssh_loop.stubs, "nvidia-smi")
    ssh_loop.set_remote_bashrc("echo 'Welcome to the pod'\n")
    chatty = run(ssh_loop, ssh_argv(ssh_loop, QUERY))
    if os.path.basename(pwd.getpwnam(ssh_loop.user).pw_shell) == "bash":   # bash reads it under sshd
        assert chatty.stdout.splitlines() == ["Welcome to the pod"] + sshloop.DEFAULT_NVIDIA


def test_stop_ends_sshd_its_sessions_and_masters_and_removes_the_dir():
    sshloop.skip_unless_available()
    home_ssh = os.path.expanduser("~" + SSHLoop().user) + "/.ssh"
    had_home_ssh = os.path.exists(home_ssh)
    loop = SSHLoop().start()
    control = pathlib.Path(tempfile.mkdtemp(prefix="cm-", dir="/tmp"))   # outlives the loop's dir
    hanging = None
    try:
        sshd_pid = int(open(loop.pid_file).read())
        assert run(loop, ssh_argv(loop, QUERY, control)).returncode == 0
        hanging = subprocess.Popen(ssh_argv(loop, "sleep 300"), env=loop.env(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.time() + 10
        while loop.sshd_sessions() < 2 and time.time() < end:
            time.sleep(0.05)
        sessions = sshloop._descendants([loop._proc.pid])
        assert len(loop.client_pids()) == 2 and sessions
        directory = loop.dir
        loop.stop()
        assert hanging.wait(10) == 255, "the client sees its session end"
        assert not os.path.exists(directory)
        assert sshloop._proc_stat(sshd_pid) is None
        assert not [p for p in sessions if sshloop._proc_stat(p) and sshloop._proc_stat(p)[1] == sessions[p]]
        assert loop.client_pids() == [] and list(control.iterdir()) == []
        assert os.path.exists(home_ssh) == had_home_ssh, "the wrapper's -F keeps ssh out of ~/.ssh"
    finally:
        loop.stop()                      # twice is fine
        if hanging and hanging.poll() is None:
            hanging.kill()
            hanging.wait(5)
        shutil.rmtree(control, ignore_errors=True)


def test_a_failed_start_says_why_and_cleans_up():
    sshloop.skip_unless_available()
    loop = SSHLoop(sshd_options=["NoSuchOption yes"])
    with pytest.raises(RuntimeError, match="NoSuchOption"):
        loop.start()
    assert not os.path.exists(loop.dir)

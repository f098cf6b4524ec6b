"""End-to-end: `podtui volumes`, `podtui credentials` and the login shared with the official
yotta CLI (`podtui configure`, ~/.yotta/config), run as commands against a real simulator on
loopback. Every command runs without a controlling terminal (its own session, stdin from a
pipe or /dev/null), as in a script or CI, with HOME and XDG_CONFIG_HOME of its own so no
login or config of the machine's user is read.

The demo scenario seeds five volumes (datasets, mounted by one pod; checkpoints; model-zoo;
eval-results; scratch) and three registry credentials; the simulator caps a volume page at 50.
"""
import configparser
import errno
import json
import os
import re
import secrets
import stat
import subprocess
import time

import pytest

from harness import BINARY, KEY, ROOT, Sim

SEEDED_VOLUMES = {
    # name: (storageType, region, sizeInGb, mountCount)
    "datasets": ("CEPH", "us-east-1", 500, 1),
    "checkpoints": ("VENDOR", "us-east-3", 2048, 0),
    "model-zoo": ("S3", "us-west-1", None, 0),
    "eval-results": ("R2", "us-east-1", None, 0),
    "scratch": ("CEPH", "us-west-1", 100, 0),
}
SEEDED_CREDENTIALS = {123, 331864222263676929, 402872365298094821}
TYPES = ("S3", "R2", "CEPH", "VENDOR")


def run(args, env, input=None, timeout=60):
    """Runs `args` in a new session (so there is no controlling terminal for podtui to ask
    on), waiting out a binary that is being relinked (ETXTBSY, or missing for a moment)."""
    end = time.time() + 90
    while True:
        try:
            proc = subprocess.Popen(args, env=env, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
            break
        except OSError as error:
            if error.errno not in (errno.ETXTBSY, errno.ENOENT) or time.time() > end:
                raise
            time.sleep(1)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"{args} did not finish in {timeout}s; stdout {out!r} stderr {err!r}")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def base_env(home, **extra):
    """The environment less every YOTTA_ variable, with its own HOME and config/state dirs;
    `extra` adds variables (None removes one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "xdg-config"), "XDG_STATE_HOME": str(home / "xdg-state"),
                "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no"})
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class CLI:
    """podtui as a command, connected to `sim` through YOTTA_API_KEY/YOTTA_BASE_URL."""

    def __init__(self, sim, home):
        self.sim, self.home = sim, home

    def __call__(self, *args, input=None, **extra):
        env = base_env(self.home, YOTTA_API_KEY=KEY, YOTTA_BASE_URL=self.sim.url, **extra)
        return run([BINARY, *args], env, input=input)

    def json(self, *args):
        result = self(*args, "-o", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def sim_volumes(sim, storage_type):
    """Every volume of one type as the simulator itself lists them (following its pages)."""
    items, page = [], 1
    while True:
        data = sim.call("GET", f"/v2/volumes?storageType={storage_type}&page={page}&size=50")
        items += data["items"]
        if page >= data["pages"]:
            return items
        page += 1


def all_sim_volumes(sim):
    return [v for t in TYPES for v in sim_volumes(sim, t)]


def seeded_id(sim, name):
    return next(v["id"] for v in all_sim_volumes(sim) if v["name"] == name)


def writes(sim):
    """The requests that could change something (everything but GET)."""
    return [r for r in sim.requests() if r["method"] != "GET"]


def wait_until(predicate, timeout=15, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def create_pod(sim, name, **fields):
    body = {"name": name, "image": "ubuntu:22.04", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1,
            "regions": ["us-west-1"], **fields}
    pod = sim.call("POST", "/v2/pods", body)
    return pod["id"] if isinstance(pod, dict) else pod


def pod_status(sim, pod_id):
    return sim.call("GET", f"/v2/pods/{pod_id}")["status"]


@pytest.fixture(scope="module")
def shared_sim():
    """For tests that only read, or whose commands are refused before anything changes."""
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def sim():
    """A fresh simulator, for tests that create, change or delete."""
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def cli(sim, tmp_path):
    return CLI(sim, tmp_path)


@pytest.fixture
def shared_cli(shared_sim, tmp_path):
    return CLI(shared_sim, tmp_path)


# MARK: volumes: listing

def test_volume_list_table_shows_the_five_seeded_volumes(shared_cli, shared_sim):
    result = shared_cli("volumes", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["ID", "NAME", "TYPE", "REGION", "SIZE"], lines[0]
    rows = {line.split()[1]: line.split() for line in lines[1:] if line.strip()}
    assert set(rows) == set(SEEDED_VOLUMES), result.stdout
    ids = {v["name"]: v["id"] for v in all_sim_volumes(shared_sim)}
    for name, (kind, region, size, _) in SEEDED_VOLUMES.items():
        row = rows[name]
        assert row[0] == str(ids[name]) and row[2] == kind and row[3] == region, row
        if size is not None:
            assert f"{size} GB" in " ".join(row), row
    wide = shared_cli("volumes", "list", "-o", "wide")
    assert wide.returncode == 0 and "VENDOR TYPE" in wide.stdout
    assert re.search(r"^\S+\s+checkpoints\s.*NVMe\s*$", wide.stdout, re.M), wide.stdout


def test_volume_list_json_has_exact_ids_as_numbers(shared_cli, shared_sim):
    result = shared_cli("volumes", "list", "-o", "json")
    assert result.returncode == 0, result.stderr
    volumes = json.loads(result.stdout)
    assert sorted(v["name"] for v in volumes) == sorted(SEEDED_VOLUMES)
    expected = {v["id"]: v["name"] for v in all_sim_volumes(shared_sim)}
    # Ids above 2^53 must survive unrounded (a Double would round 331864222263700001).
    assert all(type(v["id"]) is int for v in volumes), volumes
    assert {v["id"]: v["name"] for v in volumes} == expected
    assert max(expected) > 2 ** 53
    for volume_id in expected:   # written as bare numbers, digit for digit
        assert re.search(rf'"id"\s*:\s*{volume_id}\b', result.stdout), volume_id
    for v in volumes:
        kind, region, size, mounts = SEEDED_VOLUMES[v["name"]]
        assert (v["storageType"], v["region"], v.get("sizeInGb"), v["mountCount"]) == (kind, region, size, mounts), v


def test_volume_list_filters_by_type_and_region(shared_cli):
    names = lambda *args: sorted(v["name"] for v in shared_cli.json("volumes", "list", *args))
    assert names("--type", "CEPH") == ["datasets", "scratch"]
    assert names("--type", "CEPH", "--type", "VENDOR") == ["checkpoints", "datasets", "scratch"]
    assert names("--region", "us-east-1") == ["datasets", "eval-results"]
    assert names("--type", "CEPH", "--region", "us-west-1") == ["scratch"]
    bad = shared_cli("volumes", "list", "--type", "FLOPPY")
    assert bad.returncode == 2 and "FLOPPY" in bad.stderr


def test_volume_get_json_and_not_found(shared_cli, shared_sim):
    volume_id = seeded_id(shared_sim, "datasets")
    volume = shared_cli.json("volumes", "get", str(volume_id))
    assert volume["id"] == volume_id and volume["name"] == "datasets" and volume["mountCount"] == 1
    text = shared_cli("volumes", "get", str(volume_id))
    assert text.returncode == 0 and "datasets" in text.stdout and "500 GB" in text.stdout
    missing = shared_cli("volumes", "get", "99999")
    assert missing.returncode == 1 and "not found" in missing.stderr.lower(), missing.stderr


# MARK: volumes: create (validation before anything is sent)

def test_create_ceph_without_region_and_size_is_refused_and_creates_nothing(shared_cli, shared_sim):
    result = shared_cli("volumes", "create", "--name", "no-size", "--type", "CEPH")
    assert result.returncode == 2, result
    assert "region" in result.stderr and "size" in result.stderr.lower(), result.stderr
    only_size = shared_cli("volumes", "create", "--name", "no-size", "--type", "CEPH", "--region", "us-east-1")
    assert only_size.returncode == 2 and "size" in only_size.stderr.lower() and "region" not in only_size.stderr
    only_region = shared_cli("volumes", "create", "--name", "no-size", "--type", "CEPH", "--size", "10")
    assert only_region.returncode == 2 and "region" in only_region.stderr
    names = [v["name"] for v in shared_cli.json("volumes", "list")]
    assert "no-size" not in names and len(names) == 5
    assert not any(r["path"] == "/v2/volumes" for r in writes(shared_sim))


def test_create_vendor_without_vendor_type_is_refused(shared_cli, shared_sim):
    result = shared_cli("volumes", "create", "--name", "no-kind", "--type", "VENDOR", "--region", "us-east-3", "--size", "10")
    assert result.returncode == 2, result
    assert "vendor" in result.stderr.lower() and "NVMe" in result.stderr, result.stderr
    assert "no-kind" not in [v["name"] for v in shared_cli.json("volumes", "list")]
    assert not any(r["path"] == "/v2/volumes" for r in writes(shared_sim))


def test_create_ceph_then_it_is_listed_and_becomes_active(cli, sim):
    created = cli.json("volumes", "create", "--name", "fresh-ceph", "--type", "CEPH", "--region", "us-east-1", "--size", "20")
    assert type(created["id"]) is int and created["name"] == "fresh-ceph" and created["sizeInGb"] == 20
    [post] = [r for r in writes(sim) if r["path"] == "/v2/volumes"]
    assert json.loads(post["body"]) == {"name": "fresh-ceph", "storageType": "CEPH", "region": "us-east-1", "sizeInGb": 20}
    listed = {v["id"]: v for v in cli.json("volumes", "list", "--type", "CEPH")}
    assert listed[created["id"]]["name"] == "fresh-ceph"
    wait_until(lambda: cli.json("volumes", "get", str(created["id"]))["status"] == "active", what="the volume to be active")
    vendor = cli.json("volumes", "create", "--name", "nvme", "--type", "VENDOR", "--region", "us-east-3", "--size", "8",
                      "--vendor-type", "NVMe")
    assert vendor["vendorVolumeType"] == "NVMe"
    s3 = cli("volumes", "create", "--name", "bucket", "--type", "S3")
    assert s3.returncode == 0 and "bucket" in s3.stdout
    assert sorted(v["name"] for v in cli.json("volumes", "list")) == sorted([*SEEDED_VOLUMES, "fresh-ceph", "nvme", "bucket"])


# MARK: volumes: rename, resize, delete

def test_mounted_volume_cannot_be_resized_or_deleted(shared_cli, shared_sim):
    volume_id = str(seeded_id(shared_sim, "datasets"))
    resize = shared_cli("volumes", "resize", volume_id, "600")
    assert resize.returncode == 1 and "mounted" in resize.stderr, resize
    delete = shared_cli("volumes", "delete", volume_id, "--yes")
    assert delete.returncode == 1 and "mounted" in delete.stderr, delete
    after = shared_cli.json("volumes", "get", volume_id)
    assert after["sizeInGb"] == 500 and after["mountCount"] == 1


def test_resize_smaller_is_refused_and_larger_works(cli, sim):
    volume_id = str(seeded_id(sim, "scratch"))
    smaller = cli("volumes", "resize", volume_id, "50")
    assert smaller.returncode == 2 and "100" in smaller.stderr, smaller
    assert cli.json("volumes", "get", volume_id)["sizeInGb"] == 100
    larger = cli("volumes", "resize", volume_id, "200")
    assert larger.returncode == 0, larger.stderr
    assert cli.json("volumes", "get", volume_id)["sizeInGb"] == 200
    wait_until(lambda: cli.json("volumes", "get", volume_id)["status"] == "active", what="resize to finish")
    too_big = cli("volumes", "resize", volume_id, "10241")
    assert too_big.returncode == 2


def test_rename(cli, sim):
    volume_id = str(seeded_id(sim, "checkpoints"))
    result = cli("volumes", "rename", volume_id, "ckpt-archive")
    assert result.returncode == 0, result.stderr
    assert cli.json("volumes", "get", volume_id)["name"] == "ckpt-archive"
    assert "ckpt-archive" in cli("volumes", "list").stdout


def test_delete_without_yes_and_no_terminal_deletes_nothing(cli, sim):
    volume_id = str(seeded_id(sim, "scratch"))
    result = cli("volumes", "delete", volume_id)
    assert result.returncode == 2 and "--yes" in result.stderr, result
    assert cli.json("volumes", "get", volume_id)["name"] == "scratch"
    assert not any(r["method"] == "DELETE" for r in sim.requests())


def test_delete_with_yes_then_get_is_not_found(cli, sim):
    ids = [str(seeded_id(sim, "scratch")), str(seeded_id(sim, "eval-results"))]
    result = cli("volumes", "delete", *ids, "--yes")
    assert result.returncode == 0, result.stderr
    for volume_id in ids:
        gone = cli("volumes", "get", volume_id)
        assert gone.returncode == 1 and "not found" in gone.stderr.lower(), gone
    assert sorted(v["name"] for v in cli.json("volumes", "list")) == ["checkpoints", "datasets", "model-zoo"]


def test_list_follows_every_page(cli, sim):
    """60 new S3 volumes + model-zoo = 61, more than the simulator's 50 per page."""
    made = {sim.call("POST", "/v2/volumes", {"name": f"bulk-{i:02d}", "storageType": "S3"})["id"] for i in range(60)}
    assert len(made) == 60
    volumes = cli.json("volumes", "list", "--type", "S3")
    ids = [v["id"] for v in volumes]
    assert len(ids) == 61 and len(set(ids)) == 61, len(ids)
    assert set(ids) == made | {seeded_id(sim, "model-zoo")}
    assert any(r["path"] == "/v2/volumes" and "page=2" in r["query"] for r in sim.requests()), "second page never asked for"
    assert len(cli.json("volumes", "list")) == 65
    table = cli("volumes", "list", "--type", "S3")
    assert table.returncode == 0 and len([l for l in table.stdout.splitlines()[1:] if l.strip()]) == 61


def test_mount_count_follows_a_pod_that_attaches_the_volume(cli, sim):
    volume_id = seeded_id(sim, "scratch")
    assert cli.json("volumes", "get", str(volume_id))["mountCount"] == 0
    pod = cli.json("pods", "create", "--name", "with-scratch", "--image", "ubuntu:22.04", "--gpu-type", "NVIDIA_RTX_4090_24G",
                   "--gpu-count", "1", "--region", "us-west-1", "--volume", f"{volume_id}:/data")
    assert pod["persistentVolumes"] == [{"volumeId": volume_id, "mountPath": "/data"}], pod
    assert cli.json("volumes", "get", str(volume_id))["mountCount"] == 1
    refused = cli("volumes", "delete", str(volume_id), "--yes")
    assert refused.returncode == 1 and "mounted" in refused.stderr
    deleted = cli("pods", "delete", str(pod["id"]), "--yes")
    assert deleted.returncode == 0, deleted.stderr

    def released():
        mounts = cli.json("volumes", "get", str(volume_id))["mountCount"]
        status = pod_status(sim, pod["id"])          # read after the volume: pods only move forward
        if mounts == 0:
            assert status == "TERMINATED", f"mountCount 0 while the pod is {status}"
            return True
        assert mounts == 1
        return False
    wait_until(released, timeout=30, what="mountCount back to 0")
    assert cli("volumes", "delete", str(volume_id), "--yes").returncode == 0


# MARK: credentials

def test_credential_list_and_get(shared_cli):
    listed = shared_cli.json("credentials", "list")
    assert {c["id"] for c in listed} >= SEEDED_CREDENTIALS and all(type(c["id"]) is int for c in listed)
    one = shared_cli.json("credentials", "get", "402872365298094821")
    assert one["id"] == 402872365298094821 and one["name"] == "prod-ecr"
    table = shared_cli("credentials", "list")
    assert table.returncode == 0 and "402872365298094821" in table.stdout and "team-ghcr" in table.stdout
    missing = shared_cli("credentials", "get", "999")
    assert missing.returncode == 1 and "not found" in missing.stderr.lower()


def test_create_with_password_stdin_never_shows_the_secret(cli, sim, tmp_path):
    secret = "pw-" + secrets.token_hex(12)
    env = base_env(tmp_path, YOTTA_API_KEY=KEY, YOTTA_BASE_URL=sim.url)
    proc = subprocess.Popen([BINARY, "credentials", "create", "--name", "ci-pull", "--type", "DOCKER_HUB",
                             "--username", "robot", "--password-stdin"], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
            assert secret.encode() not in f.read()
        out, err = proc.communicate(secret + "\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert secret not in out + err
    created_id = int(out.split(":")[0])
    for args in (("credentials", "list"), ("credentials", "list", "-o", "json"), ("credentials", "get", str(created_id)),
                 ("credentials", "get", str(created_id), "-o", "json")):
        shown = cli(*args)
        assert shown.returncode == 0 and "ci-pull" in shown.stdout and secret not in shown.stdout + shown.stderr, args
    seen = [r for r in sim.requests() if secret in json.dumps(r)]
    assert len(seen) == 1, seen
    assert (seen[0]["method"], seen[0]["path"]) == ("POST", "/v2/container-registry-auths")
    body = json.loads(seen[0]["body"])
    assert body == {"name": "ci-pull", "type": "DOCKER_HUB", "username": "robot", "password": secret}   # no newline
    log = tmp_path / "xdg-state" / "podtui" / "podtui.log"
    assert not log.exists() or secret not in log.read_text(errors="replace")


def test_password_stdin_with_a_crlf_line_end_keeps_every_character(cli, sim):
    result = cli("credentials", "create", "--name", "crlf", "--type", "DOCKER_HUB", "--username", "u", "--password-stdin",
                 input="abcd\r\n")
    assert result.returncode == 0, result.stderr
    [post] = [r for r in writes(sim) if r["path"] == "/v2/container-registry-auths"]
    assert json.loads(post["body"])["password"] == "abcd"


def test_password_file_must_be_owner_only(cli, sim, tmp_path):
    secret = "pf-" + secrets.token_hex(8)
    password_file = tmp_path / "registry.pw"
    password_file.write_text(secret + "\nsecond line is not the password\n")
    password_file.chmod(0o644)
    args = ("credentials", "create", "--name", "from-file", "--type", "PRIVATE", "--username", "u", "--password-file", str(password_file))
    refused = cli(*args)
    assert refused.returncode == 2 and "chmod 600" in refused.stderr and str(password_file) in refused.stderr, refused
    assert secret not in refused.stdout + refused.stderr
    assert not any(r["path"] == "/v2/container-registry-auths" for r in writes(sim))
    password_file.chmod(0o600)
    ok = cli(*args)
    assert ok.returncode == 0, ok.stderr
    assert secret not in ok.stdout + ok.stderr
    [post] = [r for r in writes(sim) if r["path"] == "/v2/container-registry-auths"]
    assert json.loads(post["body"])["password"] == secret
    assert "from-file" in [c["name"] for c in cli.json("credentials", "list")]


def test_create_without_terminal_or_password_flag_is_refused(shared_cli, shared_sim):
    result = shared_cli("credentials", "create", "--name", "nopw", "--type", "DOCKER_HUB", "--username", "u")
    assert result.returncode == 2 and "--password-stdin" in result.stderr, result
    assert "nopw" not in [c["name"] for c in shared_cli.json("credentials", "list")]
    assert not any(r["path"] == "/v2/container-registry-auths" for r in writes(shared_sim))


def test_update_renames_and_sets_a_new_password(cli, sim):
    result = cli("credentials", "update", "331864222263676929", "--name", "ghcr-renamed")
    assert result.returncode == 0, result.stderr
    assert cli.json("credentials", "get", "331864222263676929")["name"] == "ghcr-renamed"
    secret = "new-" + secrets.token_hex(8)
    updated = cli("credentials", "update", "331864222263676929", "--password-stdin", input=secret + "\n")
    assert updated.returncode == 0 and secret not in updated.stdout + updated.stderr, updated
    patches = [json.loads(r["body"]) for r in writes(sim) if r["method"] == "PATCH"]
    assert patches == [{"name": "ghcr-renamed"}, {"password": secret}]
    nothing = cli("credentials", "update", "331864222263676929")
    assert nothing.returncode == 2
    no_tty = cli("credentials", "update", "331864222263676929", "--password")
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr


def test_credential_in_use_cannot_be_deleted(cli, sim):
    pod_id = create_pod(sim, "private-pull", image="registry.example/private:1", imagePublicType="PRIVATE",
                        containerRegistryAuthId=123)
    refused = cli("credentials", "delete", "123", "--yes")
    assert refused.returncode == 1 and "in use" in refused.stderr and "private-pull" in refused.stderr, refused
    assert 123 in {c["id"] for c in cli.json("credentials", "list")}
    no_yes = cli("credentials", "delete", "402872365298094821")
    assert no_yes.returncode == 2 and "--yes" in no_yes.stderr
    sim.call("DELETE", f"/v2/pods/{pod_id}")
    wait_until(lambda: pod_status(sim, pod_id) == "TERMINATED", timeout=30, what="the pod to terminate")
    ok = cli("credentials", "delete", "123", "--yes")
    assert ok.returncode == 0, ok.stderr
    gone = cli("credentials", "get", "123")
    assert gone.returncode == 1 and "not found" in gone.stderr.lower()


# MARK: the login shared with the official CLI (~/.yotta/config)

def configure(home, answers, *args):
    return run([BINARY, "configure", *args], base_env(home), input=answers)


def pods_list(home, *args, **extra):
    return run([BINARY, *args, "pods", "list"], base_env(home, **extra))


def pod_names(sim):
    return {p["name"] for p in sim.call("GET", "/v2/pods") if p.get("name")}


def read_ini(path):
    parser = configparser.ConfigParser()
    assert parser.read(path) == [str(path)]
    return parser


def test_configure_writes_an_owner_only_login_that_pods_list_uses(shared_sim, tmp_path):
    result = configure(tmp_path, f"{KEY}\n{shared_sim.url}\n")
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stdout + result.stderr
    config = tmp_path / ".yotta" / "config"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    parser = read_ini(config)
    assert dict(parser["default"]) == {"api_key": KEY, "base_url": shared_sim.url}
    listed = pods_list(tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert pod_names(shared_sim) <= set(listed.stdout.split()), listed.stdout
    # A second profile keeps the first.
    again = configure(tmp_path, f"other-key\n{shared_sim.url}\n", "--profile", "other")
    assert again.returncode == 0, again.stderr
    parser = read_ini(config)
    assert parser["default"]["api_key"] == KEY and parser["other"]["api_key"] == "other-key"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_configure_refuses_what_it_cannot_save(shared_sim, tmp_path):
    config = tmp_path / ".yotta" / "config"
    empty = configure(tmp_path, "")
    assert empty.returncode == 2 and "key" in empty.stderr.lower() and not config.exists(), empty
    plain = configure(tmp_path, f"{KEY}\nhttp://example.com\n")
    assert plain.returncode == 2 and "https://" in plain.stderr and not config.exists(), plain
    assert KEY not in plain.stdout + plain.stderr
    key_only = configure(tmp_path, f"{KEY}\n")
    assert key_only.returncode == 0, key_only.stderr
    assert dict(read_ini(config)["default"]) == {"api_key": KEY, "base_url": "https://api.yottalabs.ai"}


def write_login(home, sections, mode=0o600):
    """~/.yotta/config as the official CLI writes it (configparser)."""
    directory = home / ".yotta"
    directory.mkdir(mode=0o700, exist_ok=True)
    parser = configparser.ConfigParser()
    for name, fields in sections.items():
        parser[name] = fields
    path = directory / "config"
    with open(path, "w") as f:
        parser.write(f)
    path.chmod(mode)
    return path


def test_login_readable_by_others_is_refused(shared_sim, tmp_path):
    path = write_login(tmp_path, {"default": {"api_key": KEY, "base_url": shared_sim.url}}, mode=0o644)
    before = len(shared_sim.requests())
    result = pods_list(tmp_path)
    assert result.returncode == 2 and "chmod 600" in result.stderr and str(path) in result.stderr, result
    assert KEY not in result.stdout + result.stderr
    assert len(shared_sim.requests()) == before, "nothing may be sent with a refused login"


def test_profile_selects_a_section_and_environment_wins(shared_sim, tmp_path):
    write_login(tmp_path, {"default": {"api_key": "wrong-key", "base_url": shared_sim.url},
                           "other": {"api_key": KEY, "base_url": shared_sim.url}})
    default = pods_list(tmp_path)
    assert default.returncode == 1, default
    other = pods_list(tmp_path, "--profile", "other")
    assert other.returncode == 0 and "llama-ft-7" in other.stdout, other.stderr
    after = run([BINARY, "pods", "list", "--profile", "other"], base_env(tmp_path))
    assert after.returncode == 0 and "llama-ft-7" in after.stdout, after.stderr
    missing = pods_list(tmp_path, "--profile", "nosuch")
    assert missing.returncode == 2 and "nosuch" in missing.stderr and "other" in missing.stderr, missing
    # YOTTA_API_KEY is not sent to the file's base URL: the file's own key goes there (issue
    # 24, M10); with the URL from the environment too, the environment's key wins...
    assert pods_list(tmp_path, YOTTA_API_KEY=KEY).returncode == 1
    assert pods_list(tmp_path, YOTTA_API_KEY=KEY, YOTTA_BASE_URL=shared_sim.url).returncode == 0
    write_login(tmp_path, {"default": {"api_key": KEY, "base_url": "http://127.0.0.1:9"}})
    assert pods_list(tmp_path, YOTTA_API_KEY="wrong-key", YOTTA_BASE_URL=shared_sim.url).returncode == 1
    # ...and so does YOTTA_BASE_URL (the file's base URL is a closed port).
    assert pods_list(tmp_path, YOTTA_BASE_URL=shared_sim.url).returncode == 0


# MARK: the official CLI (yottaml on PyPI)

# scripts/test installs yottaml 0.2.0 there before any test runs; PODTUI_OFFICIAL_CLI overrides.
YOTTA = os.environ.get("PODTUI_OFFICIAL_CLI", os.path.join(ROOT, ".build", "yotta-venv", "bin", "yotta"))


def test_login_written_for_the_official_cli_is_read_and_its_cli_talks_to_the_simulator(shared_sim, tmp_path):
    assert os.access(YOTTA, os.X_OK), f"{YOTTA} is missing: scripts/test installs the official CLI (yottaml 0.2.0)"
    yotta = YOTTA
    home = tmp_path / "home"
    home.mkdir()
    env = base_env(home)
    if run([yotta, "configure", "--help"], env).returncode == 0:
        done = run([yotta, "configure"], env, input=f"{KEY}\n{shared_sim.url}\n")
        assert done.returncode == 0, done.stderr
    else:
        # yottaml 0.2.0 (PyPI's only version) has no `configure`; the project's later one
        # writes ~/.yotta/config like this: ConfigParser(), config[profile] = {} then
        # .update(api_key, base_url), config.write(fh), chmod 0600, in a 0700 directory.
        directory = home / ".yotta"
        directory.mkdir(mode=0o700, exist_ok=True)
        config = configparser.ConfigParser()
        config["default"] = {}
        config["default"].update({"api_key": KEY, "base_url": shared_sim.url})
        with open(directory / "config", "w") as fh:
            config.write(fh)
        os.chmod(directory / "config", 0o600)
    listed = run([BINARY, "pods", "list"], env)
    assert listed.returncode == 0, listed.stderr
    assert pod_names(shared_sim) <= set(listed.stdout.split()), listed.stdout
    # The official CLI against the same simulator.
    official = run([yotta, "--api-key", KEY, "--base-url", shared_sim.url, "pods", "list"], env)
    assert official.returncode == 0, official.stderr
    reply = json.loads(official.stdout)
    assert reply["code"] == 10000 and pod_names(shared_sim) <= {p.get("name") for p in reply["data"]}
    credentials = run([yotta, "--api-key", KEY, "--base-url", shared_sim.url, "credentials", "list"], env)
    assert credentials.returncode == 0, credentials.stderr
    assert SEEDED_CREDENTIALS <= {c["id"] for c in json.loads(credentials.stdout)["data"]}

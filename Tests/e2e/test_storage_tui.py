"""End-to-end: :volumes, :credentials and the volume picker in the real binary, in a
pseudo-terminal, against `podtui sim`."""
import json

import pytest

from harness import Sim, TUI


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def tui(sim):
    t = TUI(sim)
    yield t
    t.close()


def writes(sim, path_part):
    return [r for r in sim.requests() if r["method"] in ("POST", "PATCH", "DELETE") and path_part in r["path"]]


def volumes(sim):
    out = []
    for kind in ("S3", "R2", "CEPH", "VENDOR"):
        page = sim.call("GET", f"/v2/volumes?storageType={kind}&page=1&size=50")
        out += page["items"]
    return {v["name"]: v for v in out}


def open_volumes(tui):
    tui.wait_text("llama-ft-7")
    tui.send(":volumes\r")
    tui.wait_text("Volumes (5)")


def test_mounted_volume_refused_with_reason_nothing_sent(sim, tui):
    open_volumes(tui)
    tui.goto("datasets")
    tui.send("d")
    tui.wait_text("datasets is mounted by 1 pod")
    tui.send("+")
    tui.wait_text("resized only when no pod uses it")
    assert "Delete volume?" not in tui.text()
    assert writes(sim, "/v2/volumes") == []


def test_create_rename_resize_delete_a_volume(sim, tui):
    open_volumes(tui)
    tui.send("n")
    tui.wait_text("New volume")
    tui.send("ceph-new\t\t\x15us-west-1\t")   # name, keep CEPH, region, then size left empty
    tui.send("\r")
    tui.wait_text("sizeInGb: is required")
    assert writes(sim, "/v2/volumes") == []
    assert "ceph-new" in tui.text()                 # what was typed is still there
    tui.send("50\r")
    tui.wait_text("Create volume ceph-new: done")
    tui.wait_for(lambda t: "ceph-new" in tui.selected_line() and "active" in tui.selected_line(), timeout=10, what="active row")
    tui.send("e\x15ceph-renamed\r")
    tui.wait_text("Rename volume to ceph-renamed: done")
    tui.send("+\x1580\r")
    tui.wait_text("to 80 GB: done")
    tui.wait_for(lambda t: volumes(sim).get("ceph-renamed", {}).get("sizeInGb") == 80, what="resized in the simulator")
    tui.wait_for(lambda t: "active" in tui.selected_line(), timeout=10, what="active again")
    tui.send("d")
    tui.wait_text("Delete volume?")
    assert "ceph-renamed" in tui.text()
    tui.send("\r")                                   # Cancel is focused
    tui.wait_text("Delete cancelled")
    tui.send("dy")
    tui.wait_text("Delete volume ceph-renamed: done")
    assert "ceph-renamed" not in volumes(sim)
    assert len([r for r in writes(sim, "/v2/volumes") if r["method"] == "DELETE"]) == 1


def test_new_credential_password_masked_and_sent_once(sim, tui):
    tui.wait_text("llama-ft-7")
    tui.send(":credentials\r")
    tui.wait_text("Registry credentials (3)")
    tui.send("n")
    tui.wait_text("New registry credential")
    secret = "Sup3r-secret-pw"
    tui.send("ghcr-bot\t\x1bOC\x1bOC\x1bOC\x1bOC\tbot\t" + secret)
    tui.pump(0.3)
    assert secret not in tui.text() and "•" * len(secret) in tui.text()
    tui.send("\r")
    tui.wait_text("Create credential ghcr-bot: done")
    tui.wait_text("Registry credentials (4)")
    [post] = writes(sim, "/v2/container-registry-auths")
    assert json.loads(post["body"]) == {"name": "ghcr-bot", "type": "PRIVATE", "username": "bot", "password": secret}
    assert secret not in tui.log()


def test_volume_picker_attaches_and_mount_count_follows(sim, tui):
    tui.wait_text("llama-ft-7")
    tui.send("n")
    tui.wait_text("New pod")
    tui.wait_for(lambda t: "loading the list" not in t, what="lists loaded")
    tui.send("with-volume\tubuntu:22.04\t4090")
    tui.wait_text("Filter: 4090")
    tui.send("\r")
    tui.send("\t" * 19 + "\r")     # "+ attach existing volume": a row
    tui.send("scr")                 # narrows the volume picker
    tui.wait_text("Volume to attach")
    tui.wait_text("CEPH us-west-1 100 GB")
    tui.send("\r\t/data\x13")       # choose scratch, mount path, create
    tui.wait_text("with-volume", timeout=10)
    [create] = [r for r in writes(sim, "/v2/pods") if r["method"] == "POST" and r["path"] == "/v2/pods"]
    body = json.loads(create["body"])
    assert body["persistentVolumes"] == [{"mountPath": "/data", "volumeId": volumes(sim)["scratch"]["id"]}]
    assert volumes(sim)["scratch"]["mountCount"] == 1
    tui.send(":volumes\r")
    tui.wait_text("Volumes (5)")
    tui.goto("scratch")
    tui.send("d")
    tui.wait_text("scratch is mounted by 1 pod")

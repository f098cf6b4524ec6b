"""End-to-end: the create form, driven with keys in a real pty against `podtui sim`."""
import json
import os
import tempfile

import pytest

from harness import Sim, TUI

TAB, ENTER, ESC = "\t", "\r", "\x1b"
CTRL_S, CTRL_U = "\x13", "\x15"
LEFT = "\x1bOD"   # xterm in keypad (application) mode, as ncurses asks for


@pytest.fixture
def sim():
    s = Sim(speed=20)
    yield s
    s.stop()


@pytest.fixture
def tui(sim):
    # A home of its own without ~/.ssh: the machine's own key must not change the bodies sent.
    t = TUI(sim, extra_env={"HOME": tempfile.mkdtemp(prefix="podtui-e2e-home-")})
    t.wait_text("llama-ft-7")
    yield t
    t.close()


def creates(sim):
    return [r for r in sim.requests() if r["method"] == "POST" and r["path"] == "/v2/pods"]


def wait_created(tui, name):
    """The form closed and the new pod is selected (the "Created" message may already have
    been replaced by the pod's own "is now RUNNING" at the simulator's fast clock)."""
    tui.wait_for(lambda t: "New pod" not in t and tui.selected_line().startswith("▸" + name), what=f"{name} created and selected")


def open_form(tui):
    tui.send("n")
    tui.wait_text("New pod")
    tui.wait_for(lambda t: "loading the list" not in t, what="picker lists loaded")


def fill_basics(tui, name="e2e-pod", count="1"):
    """Name, image, GPU type from the picker (narrowed by typing), GPU count."""
    tui.send(name)
    tui.send(TAB)
    tui.send("ubuntu:22.04")
    tui.send(TAB)
    tui.send("4090")                 # typing on a picker field opens it, narrowed
    tui.wait_text("Filter: 4090")
    tui.send(ENTER)
    tui.wait_text("NVIDIA_RTX_4090_24G")
    tui.send(TAB)
    tui.send(CTRL_U + count)


def test_create_with_every_kind_of_field_sends_the_exact_body(sim, tui):
    open_form(tui)
    fill_basics(tui, count="2")
    tui.send(TAB + ENTER)            # regions: open the picker
    tui.wait_text("Filter:")
    tui.send("west")
    tui.send(ENTER)                  # nothing toggled: Enter takes the highlighted region
    tui.wait_text("us-west-1")
    tui.send(TAB * 5)                # resource type, min VRAM, min RAM, min vCPU, shared memory
    tui.send("8")
    tui.send(TAB + "50")             # container disk
    tui.send(TAB * 3 + ENTER)        # visibility, registry, credential: open its picker
    tui.wait_text("team-ghcr")
    tui.send("ghcr" + ENTER)
    tui.send(TAB * 3)                # username, password, init command
    tui.send("python train.py --epochs 3")
    tui.send(TAB + ENTER)            # + add variable
    tui.send("MODE" + TAB + "train")
    tui.send(TAB + TAB + TAB + ENTER)   # secret checkbox, + add variable, + add port
    tui.send("8888" + TAB + LEFT)    # TCP → HTTP
    tui.send(CTRL_S)
    wait_created(tui, "e2e-pod")

    sent = creates(sim)
    assert len(sent) == 1
    assert json.loads(sent[0]["body"]) == {
        "name": "e2e-pod",
        "image": "ubuntu:22.04",
        "gpuType": "NVIDIA_RTX_4090_24G",
        "gpuCount": 2,
        "regions": ["us-west-1"],
        "resourceType": "GPU",
        "imagePublicType": "PUBLIC",
        "containerRegistryAuthId": 331864222263676929,
        "shmInGb": 8,
        "containerVolumeInGb": 50,
        "initializationCommand": "python train.py --epochs 3",
        "environmentVars": [{"key": "MODE", "value": "train"}],
        "expose": [{"port": 8888, "protocol": "http"}],   # sent lower-case, as the API guide writes it
    }
    # The form closed and the new pod is selected in the list, moving through its lifecycle.
    tui.wait_for(lambda t: tui.selected_line().startswith("▸e2e-pod"), what="new pod selected")
    tui.wait_for(lambda t: "RUNNING" in tui.selected_line(), timeout=15, what="new pod RUNNING")


def test_gpu_count_of_three_is_refused_locally(sim, tui):
    open_form(tui)
    fill_basics(tui, count="3")
    tui.wait_text("must be a power of two: 1, 2, 4, 8…")
    tui.send(CTRL_S)
    tui.wait_text("Not sent: 1 problem to fix first")
    assert creates(sim) == []
    assert "▸GPU count" in tui.text()


def test_server_10001_keeps_every_value_and_shows_the_message(sim, tui):
    sim.call("POST", "/_sim/faults", {"kind": "invalidParameters", "path": "/v2/pods", "method": "POST", "count": 1,
                                      "message": "image: manifest unknown in the registry"})
    open_form(tui)
    fill_basics(tui)
    tui.send(CTRL_S)
    tui.wait_text("manifest unknown in the registry")
    screen = tui.text()
    assert "New pod" in screen and "e2e-pod" in screen and "ubuntu:22.04" in screen and "NVIDIA_RTX_4090_24G" in screen
    assert "▸Image" in screen        # focus moved to the field the server named
    # Nothing was lost: sending again (the fault was for one request) creates the pod.
    tui.send(CTRL_S)
    wait_created(tui, "e2e-pod")
    assert len(creates(sim)) == 2


def test_escape_on_a_dirty_form_asks_first(sim, tui):
    open_form(tui)
    tui.send("half-typed")
    tui.send(ESC)
    tui.wait_text("Discard this form?")
    tui.send("n")
    tui.wait_for(lambda t: "Discard this form?" not in t, what="prompt closed")
    assert "half-typed" in tui.text()
    tui.send(ESC)
    tui.wait_text("Discard this form?")
    tui.send("y")
    tui.wait_for(lambda t: "New pod" not in t, what="form closed")
    assert creates(sim) == []


def test_gpu_list_unavailable_still_takes_typed_input(sim, tui):
    sim.call("POST", "/_sim/faults", {"kind": "http503", "path": "/v2/vms/types"})  # every time: GETs are retried
    tui.send("n")
    tui.wait_text("list unavailable (HTTP 503)")
    tui.send("typed-gpu" + TAB + "ubuntu:22.04" + TAB + "NVIDIA_RTX_4090_24G")
    assert "Filter:" not in tui.text()
    tui.send(CTRL_S)
    wait_created(tui, "typed-gpu")
    assert json.loads(creates(sim)[0]["body"])["gpuType"] == "NVIDIA_RTX_4090_24G"


def test_clone_prefills_from_the_selected_pod(sim, tui):
    tui.select("llama-ft-7")
    tui.send("C")
    tui.wait_text("Clone of llama-ft-7")
    assert "llama-ft-7-clone" in tui.text()
    tui.send(CTRL_S)
    wait_created(tui, "llama-ft-7-clone")
    body = json.loads(creates(sim)[0]["body"])
    assert body["name"] == "llama-ft-7-clone" and body["gpuType"] == "NVIDIA_H100_80G" and body["gpuCount"] == 8


def test_double_submit_creates_one_pod(sim, tui):
    sim.call("POST", "/_sim/faults", {"kind": "slow", "path": "/v2/pods", "method": "POST", "delaySeconds": 1.5, "count": 1})
    open_form(tui)
    fill_basics(tui)
    tui.send(CTRL_S + CTRL_S)
    tui.send("\x1b[21~")             # F10 too, while the first request is out
    tui.send(CTRL_S)
    wait_created(tui, "e2e-pod")
    tui.pump(1)
    assert len(creates(sim)) == 1


def test_my_ssh_key_is_offered_and_sent_as_public_key(sim):
    """With ~/.ssh/id_ed25519.pub there, the form offers it and the create sends its text as
    PUBLIC_KEY (the form keeps only the path; the key is read when the pod is created)."""
    home = tempfile.mkdtemp(prefix="podtui-e2e-home-")
    os.makedirs(os.path.join(home, ".ssh"))
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eTestKeyForPodtuiE2E0000000000000000000 me@laptop"
    with open(os.path.join(home, ".ssh", "id_ed25519.pub"), "w") as f:
        f.write(key + "\n")
    tui = TUI(sim, extra_env={"HOME": home})
    try:
        tui.wait_text("llama-ft-7")
        open_form(tui)
        fill_basics(tui, name="keyed-pod")
        tui.send(CTRL_S)
        wait_created(tui, "keyed-pod")
        body = json.loads(creates(sim)[0]["body"])
        assert {"key": "PUBLIC_KEY", "value": key} in body["environmentVars"]
        assert "AAAAC3" not in tui.text()   # the key text is never drawn
    finally:
        tui.close()

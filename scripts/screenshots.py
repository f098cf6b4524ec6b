#!/usr/bin/env python3
"""Make the README's screenshots from real runs: podtui in a pseudo-terminal against
`podtui sim`, driven by keys, each screen drawn to a PNG from the terminal's cells.

Each screen is drawn with a real terminal palette from docs/palettes.json (the same data the
contrast test checks): Tango dark for the dark shots, macOS Terminal "Basic" for the light
ones, and podtui is told that background by answering its OSC 11 question as the terminal
would.

Needs: a built binary (swift build), python3 with pyte and Pillow, and a monospace font
(fonts-dejavu-core). Usage: scripts/screenshots.py [out-dir]  (default: screenshots/)
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from harness import BINARY, KEY, Sim, TUI  # noqa: E402
import sshloop  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
PALETTES = {p["name"]: p for p in json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "palettes.json")))["palettes"]}
ANSI_NAMES = ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"]


def hex_rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


class Palette:
    """A terminal palette: default colours and the 16 ANSI ones (pyte names the first 8)."""

    def __init__(self, name):
        p = PALETTES[name]
        self.fg, self.bg, self.ansi = hex_rgb(p["fg"]), hex_rgb(p["bg"]), [hex_rgb(c) for c in p["ansi"]]
        self.hex_bg = p["bg"]
        self.names = {n: self.ansi[i] for i, n in enumerate(ANSI_NAMES)}
        self.names.update({"bright" + n: self.ansi[8 + i] for i, n in enumerate(ANSI_NAMES)})
        self.names["yellow"] = self.ansi[3]


DARK, LIGHT = Palette("tango-dark"), Palette("macos-terminal-basic")


def font(name, size):
    for d in FONT_DIRS:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def color(value, default, palette):
    if value in ("default", None):
        return default
    if value in palette.names:
        return palette.names[value]
    if isinstance(value, str) and len(value) == 6:
        try:
            return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return default
    return default


def to_png(screen, path, size=15, palette=DARK):
    BG, FG = palette.bg, palette.fg
    regular, bold = font("DejaVuSansMono.ttf", size), font("DejaVuSansMono-Bold.ttf", size)
    fallback = font("DejaVuSans.ttf", size)
    cw = int(regular.getlength("M"))
    ch = int(size * 1.35)
    img = Image.new("RGB", (cw * screen.columns + 16, ch * screen.lines + 16), BG)
    draw = ImageDraw.Draw(img)
    for y in range(screen.lines):
        row = screen.buffer[y]
        for x in range(screen.columns):
            c = row[x]
            fg, bg = color(c.fg, FG, palette), color(c.bg, BG, palette)
            if c.reverse:
                fg, bg = (bg if bg != BG else BG), (fg if c.fg != "default" else FG)
            px, py = 8 + x * cw, 8 + y * ch
            if bg != BG:
                draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c.data.strip():
                f = bold if c.bold else regular
                if not all(f.getmask(ch_).getbbox() for ch_ in c.data[:1]):
                    f = fallback
                draw.text((px, py + 1), c.data, font=f, fill=fg)
            if c.underscore:
                draw.line([px, py + ch - 1, px + cw - 1, py + ch - 1], fill=(110, 110, 110) if c.fg == "default" else fg)
    img.save(path)


def many_shots(t, out):
    """Filter, marks with the bulk confirmation, the events view, the GPU view."""
    t.send("/")
    t.send("status:running !llama")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "filter.png"))
    t.send("\r*p")
    t.wait_text("marked pods?")
    to_png(t.screen, os.path.join(out, "bulk-confirm.png"))
    t.send("y")
    t.wait_text("done")
    t.pump(4)   # the pods move to PAUSING (and leave the status:running filter)
    t.send("\x1b:events\r")
    t.wait_text("Events (")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "events.png"))
    t.send(":gpus\r")
    t.wait_text("GPU types")
    t.wait_for(lambda s: "available" in s, what="GPU list")
    to_png(t.screen, os.path.join(out, "gpus.png"))
    t.send("\x1b")
    t.pump(0.3)


def form_shots(t, out):
    """The create form: empty, a picker, and filled with errors."""
    t.send("n")
    t.wait_text("New pod")
    t.wait_for(lambda s: "loading the list" not in s, what="lists loaded")
    to_png(t.screen, os.path.join(out, "form-empty.png"))
    t.send("llama-ft-8\tpytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime\th1")
    t.wait_text("Filter: h1")
    t.send("\x1bOB\r\t\x153\t\r")   # second match, GPU count 3, open regions
    t.wait_text("Filter:")
    to_png(t.screen, os.path.join(out, "form-picker.png"))
    t.send(" \x1bOB \r")                # toggle two regions, one of them sold out
    t.send("\t\t8")                    # min VRAM
    for _ in range(11):  # to "+ add variable"
        t.send("\t")
    t.send("\rHF_TOKEN\thf_live_value\t \t\t\r8888")
    t.send("\x13")
    t.wait_text("Not sent")
    to_png(t.screen, os.path.join(out, "form-errors.png"))


def storage_shots(t, out):
    """:volumes (a mounted volume's refusal on the message line), the new-volume form,
    :credentials with a new credential's masked password, and the create form's volume picker."""
    t.send(":volumes\r")
    t.wait_text("Volumes (")
    t.wait_for(lambda s: "datasets" in s, what="volume list")
    t.send("jd")                       # datasets: mounted by a demo pod
    t.wait_text("is mounted by")
    to_png(t.screen, os.path.join(out, "volumes.png"))
    t.send("n")
    t.wait_text("New volume")
    t.send("checkpoints-2\t\x1bOC\t\t200\r")   # VENDOR, us-east-1, 200 GB, no vendor type: refused
    t.wait_text("vendorVolumeType")
    to_png(t.screen, os.path.join(out, "volume-new.png"))
    t.send("\x1b")
    t.send(":credentials\r")
    t.wait_text("Registry credentials (")
    t.send("n")
    t.wait_text("New registry credential")
    t.send("team-ghcr-2\t\x1bOC\x1bOC\x1bOC\x1bOC\tbot\tsecret-password")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "credentials.png"))
    t.send("\x1b\x1b")
    t.pump(0.3)
    t.send("n")
    t.wait_text("New pod")
    t.wait_for(lambda s: "loading the list" not in s, what="lists loaded")
    t.send("train-run\tyottalabsai/pytorch:2.9.0\t4090")
    t.wait_text("Filter: 4090")
    t.send("\r\t\t\r \r")         # the RTX 4090, count 1, regions: the first (us-east-1)
    t.send("\t" * 17 + "\r")         # to "+ attach existing volume", add a row
    t.send("\r")                      # the volume picker
    t.wait_text("Volume to attach")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "volume-picker.png"))
    t.send("\x1b\x1b")
    t.pump(0.3)
    t.send("y")
    t.pump(0.3)


def spend_shots(t, out):
    """A pause timer on a row with observed spend, the budget crossed, :timers, and the
    templates n offers."""
    t.send("\x1b:pods\r")
    t.pump(0.3)
    t.select("llama-ft-7")
    t.send("t2h\r")
    t.wait_text("Pause llama-ft-7 at")
    t.pump(1.2)
    to_png(t.screen, os.path.join(out, "timers.png"))
    t.send(":budget 10\r")
    t.wait_text("Over budget")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "budget.png"))
    t.send("T")
    t.wait_text("Pause timers (1)")
    to_png(t.screen, os.path.join(out, "timers-view.png"))
    t.send("\x1b")
    t.send("n")
    t.wait_text("New pod")
    t.send("nightly-eval\tyottalabsai/pytorch:2.9.0\x1bOR")   # F3 (kf3) saves it
    t.wait_text("Saved template nightly-eval")
    t.send("\x1by")
    t.pump(0.3)
    t.send("n")
    t.wait_text("Start from")
    t.send("j")
    t.pump(0.3)
    to_png(t.screen, os.path.join(out, "templates.png"))
    t.send("\x1b\x1by")
    t.pump(0.3)


def every_figure(t):
    """Waits until every running GPU pod's row has its VRAM from the metrics API."""
    t.wait_for(lambda s: all(re.search(r"\d/\d", line) for line in s.splitlines() if "RUNNING" in line and " CPU " not in line),
               timeout=60, what="every running pod's VRAM")


def metrics_shots(out):
    """API metrics: the list with every running pod's GPU% and VRAM (idle and full-disk pods
    flagged), a pod's detail pane over 7 days, and every metric of a pod full screen (M)."""
    sim = Sim(speed=1)
    t = TUI(sim, 120, 40, background=DARK.hex_bg)
    try:
        t.wait_text("vllm-serve-70b")
        t.wait_for(lambda s: "idle 1h" in s and "disk 9" in s, timeout=60, what="idle and disk badges")
        every_figure(t)
        t.select("vllm-serve-70b")
        t.pump(1.2)
        to_png(t.screen, os.path.join(out, "metrics-list.png"))
        t.send("\r:window 7d\r")
        t.wait_text("last 7d")
        t.wait_for(lambda s: "loading…" not in s, timeout=30, what="7-day charts")
        t.send("jjjjjjj")
        t.pump(0.5)
        to_png(t.screen, os.path.join(out, "metrics-detail.png"))
        t.send("\x1b")
        t.pump(0.3)
        t.select("skyrl-rollout")
        t.send(":window 3h\rM")
        t.wait_text("Metrics of skyrl-rollout")
        t.wait_for(lambda s: "loading…" not in s, timeout=30, what="every chart")
        t.pump(0.5)
        to_png(t.screen, os.path.join(out, "metrics-full.png"))
    finally:
        t.close()
        sim.stop()


def probe_shots(out):
    """GPU probes: two throwaway sshds with stub nvidia-smi (one pod busy, one idle), a pod
    whose key is refused, and a hostile sshCmd; the list (dark and light) and a busy pod's
    detail with its sparklines."""
    if not sshloop.available():
        print("skipping the GPU probe screenshots:", sshloop.why_unavailable())
        return
    import tempfile
    busy, idle, refused = sshloop.SSHLoop().start(), sshloop.SSHLoop().start(), sshloop.SSHLoop().start()
    # podtui runs one ssh (busy's wrapper, with busy's key) for every pod: idle's sshd accepts
    # that key too; refused's sshd does not, so its pod's login is refused.
    with open(busy.good_key + ".pub") as key, open(idle.authorized_keys, "a") as keys:
        keys.write(key.read())
    sim = Sim(speed=1, scenario="empty")
    home = tempfile.mkdtemp(prefix="podtui-shots-config-")
    os.makedirs(os.path.join(home, "podtui"))
    with open(os.path.join(home, "podtui", "config.yaml"), "w") as f:
        # API metrics off: these shots show what the probes alone see.
        f.write("ui:\n  gpu_probe: true\n  gpu_probe_interval: 5\n  gpu_idle_minutes: 0.5\n  metrics: false\n")
    def pod(pid, name, loop, gpus, price, ssh=None):
        return {"id": pid, "name": name, "status": "RUNNING", "gpuType": "NVIDIA_H100_80G", "gpuCount": gpus, "singleCardPrice": price,
                "region": "us-east-1", "createdAt": int(time.time() * 1000) - 3 * 3600 * 1000,
                "sshCmd": ssh or f"ssh root@127.0.0.1 -p {loop.port}"}
    sim.call("POST", "/_sim/pods", [
        pod(7101, "llama-70b-sft", busy, 8, 2.4), pod(7102, "eval-overnight", idle, 8, 2.4),
        pod(7103, "sd-xl-finetune", refused, 2, 0.39),
        pod(7104, "from-a-stranger", busy, 1, 2.4, ssh="ssh -oProxyCommand=/tmp/x root@127.0.0.1"),
        {"id": 7105, "name": "checkpoints", "status": "PAUSED", "gpuType": "NVIDIA_A100_80G", "gpuCount": 4, "singleCardPrice": 1.39,
         "region": "us-central-3"},
    ])
    idle.set_nvidia([f"{i}, {i % 2}, 1024, 81559" for i in range(8)])
    import random
    rng = random.Random(4)
    def busy_figures():
        busy.set_nvidia([f"{i}, {rng.randint(82, 100) if i < 6 else rng.randint(30, 70)}, {rng.randint(60000, 79000)}, 81559" for i in range(8)])
    busy_figures()
    env = {"PATH": busy.env()["PATH"], "XDG_CONFIG_HOME": home}
    try:
        t = TUI(sim, 120, 40, background=DARK.hex_bg, extra_env=env)
        t.wait_text("llama-70b-sft")
        for _ in range(8):   # samples for the sparklines, and the idle pod's 30 s
            busy_figures()
            t.pump(5)
        t.wait_text("been under 5%", timeout=30)
        t.select("llama-70b-sft")
        t.pump(0.5)
        to_png(t.screen, os.path.join(out, "probe-list.png"))
        t.send("\r")
        t.wait_text("GPU 7")
        t.pump(0.3)
        to_png(t.screen, os.path.join(out, "probe-detail.png"))
        t.send("\x1b")
        t.close()
        light = TUI(sim, 120, 40, background=LIGHT.hex_bg, extra_env=env)
        light.wait_text("llama-70b-sft")
        for _ in range(3):
            busy_figures()
            light.pump(5)
        light.select("eval-overnight")
        light.pump(0.5)
        to_png(light.screen, os.path.join(out, "probe-list-light.png"), palette=LIGHT)
        light.close()
    finally:
        sim.stop()
        for loop in (busy, idle, refused):
            loop.stop()


def watch_shots(out):
    """A TUI beside `podtui watch` of its profile: the header says "watched since", and
    :timers says the watcher fires the clock timers."""
    import subprocess
    import tempfile
    sim = Sim(speed=1)
    state = tempfile.mkdtemp(prefix="podtui-shots-watch-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": sim.url, "XDG_STATE_HOME": state,
                "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="podtui-shots-config-"), "LANG": "C.UTF-8"})
    pods = sim.call("GET", "/v2/pods")
    for name, when in (("vllm-serve-70b", "2h"), ("qwen-eval", "18:30"), ("llama-ft-7", "idle")):
        pod = next(p for p in pods if p.get("name") == name)
        words = [when, "30m"] if when == "idle" else [when]
        subprocess.run([BINARY, "timers", "add", str(pod["id"]), *words], env=env, check=True, capture_output=True,
                       stdin=subprocess.DEVNULL)
    watcher = subprocess.Popen([BINARY, "watch"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    t = TUI(sim, 140, 30, background=DARK.hex_bg, extra_env={"XDG_STATE_HOME": state, "XDG_CONFIG_HOME": env["XDG_CONFIG_HOME"]})
    try:
        t.wait_text("watched since", timeout=30)
        t.select("vllm-serve-70b")
        t.pump(1.2)
        to_png(t.screen, os.path.join(out, "watch-header.png"))
        t.send("T")
        t.wait_text("podtui watch (pid")
        t.pump(0.5)
        to_png(t.screen, os.path.join(out, "watch-timers.png"))
    finally:
        t.close()
        watcher.terminate()
        watcher.wait(10)
        sim.stop()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "screenshots")
    os.makedirs(out, exist_ok=True)
    if os.environ.get("SHOTS_ONLY") == "metrics":   # one group, while working on it
        metrics_shots(out)
        return
    if os.environ.get("SHOTS_ONLY") == "watch":
        watch_shots(out)
        return
    sim = Sim(speed=1)
    try:
        light = TUI(sim, 120, 40, background=LIGHT.hex_bg)
        light.wait_text("llama-ft-7")
        light.select("llama-ft-7")
        light.pump(1.2)
        to_png(light.screen, os.path.join(out, "list-light.png"), palette=LIGHT)
        light.send("n")
        light.wait_text("New pod")
        light.wait_for(lambda s: "loading the list" not in s, what="lists loaded")
        light.send("llama-ft-8\tpytorch/pytorch:2.4.0\t")
        light.send("\x13")
        light.wait_text("Not sent")
        to_png(light.screen, os.path.join(out, "form-light.png"), palette=LIGHT)
        light.close()
        t = TUI(sim, 120, 40, background=DARK.hex_bg)
        t.wait_text("llama-ft-7")
        every_figure(t)
        t.select("llama-ft-7")
        t.pump(1.2)
        to_png(t.screen, os.path.join(out, "list.png"))
        t.send("\r")
        t.wait_text("Pod detail")
        t.wait_for(lambda s: "loading…" not in s, timeout=30, what="the detail pane's charts")
        to_png(t.screen, os.path.join(out, "detail.png"))
        t.send("\x1b")
        t.pump(0.3)
        t.send("y")
        t.wait_text("cloudType")
        t.pump(0.3)
        to_png(t.screen, os.path.join(out, "raw.png"))
        t.send("\x1b")
        t.pump(0.3)
        t.send("d")
        t.wait_text("Delete pod?")
        to_png(t.screen, os.path.join(out, "delete-confirm.png"))
        t.send("n")
        t.send("?")
        t.wait_text("any key closes")
        to_png(t.screen, os.path.join(out, "help.png"))
        t.send("x")
        sim.call("POST", "/_sim/faults", {"kind": "http503"})
        t.wait_text("stale", timeout=15)
        t.pump(0.5)
        to_png(t.screen, os.path.join(out, "stale.png"))
        sim.call("DELETE", "/_sim/faults")
        t.wait_text("updated", timeout=15)
        many_shots(t, out)
        form_shots(t, out)
        t.send("\x1b")
        t.pump(0.3)
        t.send("y")
        t.pump(0.3)
        storage_shots(t, out)
        spend_shots(t, out)
        t.close()
        n = TUI(sim, 40, 10, background=DARK.hex_bg)
        n.wait_text("podtui")
        n.pump(1.2)
        to_png(n.screen, os.path.join(out, "narrow-40x10.png"))
        n.close()
    finally:
        sim.stop()
    metrics_shots(out)
    watch_shots(out)
    probe_shots(out)
    print("screenshots written to", os.path.abspath(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Make the README's screenshots from real runs: podtui in a pseudo-terminal against
`podtui sim`, driven by keys, each screen drawn to a PNG from the terminal's cells.

Needs: a built binary (swift build), python3 with pyte and Pillow, and a monospace font
(fonts-dejavu-core). Usage: scripts/screenshots.py [out-dir]  (default: screenshots/)
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from harness import Sim, TUI  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
BASE16 = {"black": (0, 0, 0), "red": (205, 49, 49), "green": (13, 188, 121), "brown": (229, 229, 16),
          "yellow": (229, 229, 16), "blue": (36, 114, 200), "magenta": (188, 63, 188), "cyan": (17, 168, 205),
          "white": (229, 229, 229)}
BG = (30, 30, 30)
FG = (220, 220, 220)


def font(name, size):
    for d in FONT_DIRS:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def color(value, default):
    if value in ("default", None):
        return default
    if value in BASE16:
        return BASE16[value]
    if isinstance(value, str) and len(value) == 6:
        try:
            return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return default
    return default


def to_png(screen, path, size=15):
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
            fg, bg = color(c.fg, FG), color(c.bg, BG)
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


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "screenshots")
    os.makedirs(out, exist_ok=True)
    sim = Sim(speed=1)
    try:
        t = TUI(sim, 120, 40)
        t.wait_text("llama-ft-7")
        t.select("llama-ft-7")
        t.pump(1.2)
        to_png(t.screen, os.path.join(out, "list.png"))
        t.send("\r")
        t.wait_text("Pod detail")
        to_png(t.screen, os.path.join(out, "detail.png"))
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
        t.close()
        n = TUI(sim, 40, 10)
        n.wait_text("podtui")
        n.pump(1.2)
        to_png(n.screen, os.path.join(out, "narrow-40x10.png"))
        n.close()
    finally:
        sim.stop()
    print("screenshots written to", os.path.abspath(out))


if __name__ == "__main__":
    main()

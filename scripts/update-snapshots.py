#!/usr/bin/env python3
"""Rewrites the render snapshot literals in Tests/PodTUITests/Snapshots.swift from a failing
`swift test` run. Review the diff (git diff) before committing: a snapshot is only right
when the screen it shows is right.

Usage: swift test --filter 'RenderTests|FormRenderTests' 2>&1 | scripts/update-snapshots.py
"""
import re
import sys

NAMES = {
    "list at 80×24": "SNAP_LIST_80",
    "list at 120×40": "SNAP_LIST_120",
    "list at 40×10 drops columns and stays aligned": "SNAP_LIST_40",
    "empty form at 120×40": "SNAP_FORM_EMPTY_120",
    "filled form with errors at 120×40: errors beside their fields, secrets masked": "SNAP_FORM_ERRORS_120",
    "filled form with errors at 80×24: errors under their fields, scrolled to the focus": "SNAP_FORM_ERRORS_80",
    "the GPU picker over the form": "SNAP_FORM_PICKER_80",
}
PATH = "Tests/PodTUITests/Snapshots.swift"

text = sys.stdin.read()
src = open(PATH).read()
for name, body in re.findall(r'✘ Test "([^"]+)" recorded an issue.*?actual:\n(.*?)\n\s*---', text, re.S):
    var = NAMES.get(name)
    if not var:
        print("no snapshot constant for test:", name, file=sys.stderr)
        continue
    lines = [l[2:] if l.startswith("  ") else l.strip() for l in body.split("\n")]
    new = 'let %s = """\n%s\n"""' % (var, "\n".join(lines))
    src, n = re.subn(r'let %s = """\n.*?\n"""' % var, lambda m: new, src, count=1, flags=re.S)
    print("updated", var if n else var + " (not found)")
open(PATH, "w").write(src)

// Render snapshots (see RenderTests), checked by eye when made. When the screen changes on
// purpose, a failing test prints the new text after "actual:"; review it, then paste it here.
let SNAP_LIST_80 = """
 podtui · 4 pods (1 running) · $19.20/h · updated 0s ago                 ?:help
 NAME               STATUS        GPU            × REGION            AGE     $/H
▸broken             ✗ FAILED      RTX 4090       1 us-east-1       1h05m    0.39
 llama-ft-7         ● RUNNING     H100           8 us-east-1       3h12m   19.20
 qwen-eval          ◌ INITIALIZE  A100 80GB      2 us-central-3      40s    2.78
 sd-xl-train        ○ PAUSED      RTX 4090       1 us-west-1       1d02h    0.39












────────────────────────────────────────────────────────────────────────────────
 broken (362740422811062275)  ✗ FAILED for 0s
 image ubuntu:22.04   ports 22/SSH→30003 ✗   env 1 vars
────────────────────────────────────────────────────────────────────────────────

 ↵ detail  p pause  r resume  d delete  ?/F1 help  q/^C quit
"""
let SNAP_LIST_120 = """
 podtui · api.yottalabs.ai · 4 pods: 1 running, 1 init, 1 paused, 1 failed · $19.20/h · updated 0s ago           ?:help
 NAME                                    STATUS        GPU            × REGION            AGE     $/H ID
▸broken                                  ✗ FAILED      RTX 4090       1 us-east-1       1h05m    0.39 362740422811062275
 llama-ft-7                              ● RUNNING     H100           8 us-east-1       3h12m   19.20 362740422811062272
 qwen-eval                               ◌ INITIALIZE  A100 80GB      2 us-central-3      40s    2.78 362740422811062274
 sd-xl-train                             ○ PAUSED      RTX 4090       1 us-west-1       1d02h    0.39 362740422811062273




























────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
 broken (362740422811062275)  ✗ FAILED for 0s
 image ubuntu:22.04   ports 22/SSH→30003 ✗   env 1 vars
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

 ↵ detail  p pause  r resume  d delete  ?/F1 help  q/^C quit
"""
let SNAP_LIST_40 = """
 podtui · $19.20/h · updated 0s ago
 NAME       STATUS           AGE     $/H
▸broken     ✗ FAILED       1h05m    0.39
 llama-ft-7 ● RUNNING      3h12m   19.20
 qwen-eval  ◌ INITIALIZE     40s    2.78
 sd-xl-tra… ○ PAUSED       1d02h    0.39



 ↵ detail  p pause  r resume  d delete
"""

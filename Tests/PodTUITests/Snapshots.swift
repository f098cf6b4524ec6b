// Render snapshots (see RenderTests), checked by eye when made. When the screen changes on
// purpose, a failing test prints the new text after "actual:"; review it, then paste it here.
let SNAP_LIST_80 = """
 podtui · 4 pods (1 running) · $19.20/h · updated 0s ago                 ?:help
 NAME▲              STATUS        GPU            × REGION            AGE     $/H
▸broken             ✗ FAILED      RTX 4090       1 us-east-1       1h05m    0.39
 llama-ft-7         ● RUNNING     H100           8 us-east-1       3h12m   19.20
 qwen-eval          ◌ INITIALIZE  A100 80GB      2 us-central-3      40s    2.78
 sd-xl-train        ○ PAUSED      RTX 4090       1 us-west-1       1d02h    0.39












────────────────────────────────────────────────────────────────────────────────
 broken (362740422811062275)  ✗ FAILED seen 0s
 image ubuntu:22.04   ports 22/SSH→30003 ✗   env 1 vars
────────────────────────────────────────────────────────────────────────────────

 ↵ detail  p pause  r resume  d delete  n new pod  ?/F1 help  q/^C quit
"""
let SNAP_LIST_120 = """
 podtui · api.yottalabs.ai · 4 pods: 1 running, 1 init, 1 paused, 1 failed · $19.20/h · updated 0s ago           ?:help
 NAME▲                          STATUS        GPU            × REGION            AGE     $/H     COST ID
▸broken                         ✗ FAILED      RTX 4090       1 us-east-1       1h05m    0.39        - 362740422811062275
 llama-ft-7                     ● RUNNING     H100           8 us-east-1       3h12m   19.20        - 362740422811062272
 qwen-eval                      ◌ INITIALIZE  A100 80GB      2 us-central-3      40s    2.78        - 362740422811062274
 sd-xl-train                    ○ PAUSED      RTX 4090       1 us-west-1       1d02h    0.39        - 362740422811062273




























────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
 broken (362740422811062275)  ✗ FAILED seen 0s
 image ubuntu:22.04   ports 22/SSH→30003 ✗   env 1 vars
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

 ↵ detail  p pause  r resume  d delete  n new pod  / filter  s ssh  o open  ?/F1 help  q/^C quit
"""
let SNAP_LIST_40 = """
 podtui · $19.20/h · updated 0s ago
 NAME▲              STATUS           AGE
▸broken             ✗ FAILED       1h05m
 llama-ft-7         ● RUNNING      3h12m
 qwen-eval          ◌ INITIALIZE     40s
 sd-xl-train        ○ PAUSED       1d02h



 ↵ detail  ?/F1 help  q/^C quit
"""

let SNAP_FORM_EMPTY_120 = """
 podtui · api.yottalabs.ai · 4 pods: 1 running, 1 init, 1 paused, 1 failed · $19.20/h · updated 0s ago           ?:help
 New pod                                                                                         ^S create · Esc cancel
 Basics ───────────────────────────────────────────────────────────
▸Name
 Image                required, e.g. pytorch/pytorch:2.4.0-cuda12.
 GPU type             required: ↵ to choose                      ▾
 GPU count            1                                          ▾
 Regions              any: ↵ to choose                           ▾
 Resource type        ‹GPU›  CPU
 Resources ────────────────────────────────────────────────────────
 Min VRAM/card GB     server default
 Min RAM/card GB      server default
 Min vCPU/card        server default
 Shared memory GB     server default
 Container disk GB    server default
 Image access ─────────────────────────────────────────────────────
 Image visibility     ‹PUBLIC›  PRIVATE
 Image registry       default: Docker Hub
 Registry credential  none: ↵ to choose                          ▾  list unavailable (HTTP 503): type it · ^R retry
 Registry user        deprecated: prefer a credential
 Registry password    deprecated: prefer a credential
 Start-up ─────────────────────────────────────────────────────────
 Init command         none
 Environment          + add variable
 Exposed ports        + add port
 Storage ──────────────────────────────────────────────────────────
 New volume GB        server default
 Volume mount path    e.g. /workspace
 Attach volumes       + attach existing volume
 SSH ──────────────────────────────────────────────────────────────
 SSH public key       none: a .pub file, sent as PUBLIC_KEY

                      [ Create ]  [ Cancel ]






 Tab/↓ next  ^S/F10 create  ^U clear  F2 command  F3 save template  Esc cancel  F1 keys
"""
let SNAP_FORM_ERRORS_120 = """
 podtui · api.yottalabs.ai · 4 pods: 1 running, 1 init, 1 paused, 1 failed · $19.20/h · updated 0s ago           ?:help
 New pod  (edited)                                                                               ^S create · Esc cancel
 Basics ───────────────────────────────────────────────────────────
 Name                 llama-ft-8
 Image                pytorch/pytorch:2.4.0-cuda12.1
 GPU type             NVIDIA_H100_80G · H100 80 GB               ▾
▸GPU count            3                                          ▾  ✗ must be a power of two: 1, 2, 4, 8…
 Regions              us-central-3                               ▾  ✗ H100 is sold out in us-central-3 (try us-east-1)
 Resource type        ‹GPU›  CPU
 Resources ────────────────────────────────────────────────────────
 Min VRAM/card GB     server default
 Min RAM/card GB      server default
 Min vCPU/card        server default
 Shared memory GB     server default
 Container disk GB    server default
 Image access ─────────────────────────────────────────────────────
 Image visibility     ‹PUBLIC›  PRIVATE
 Image registry       default: Docker Hub
 Registry credential  none: ↵ to choose                          ▾  list unavailable (HTTP 503): type it · ^R retry
 Registry user        deprecated: prefer a credential
 Registry password    •••••••••••
 Start-up ─────────────────────────────────────────────────────────
 Init command         none
 Environment          HF_TOKEN           = •••••••••                        [x] secret
                      MODE               = train                            [ ] secret
                      + add variable
 Exposed ports        8888     ‹HTTP›  TCP   SSH
                      + add port
 Storage ──────────────────────────────────────────────────────────
 New volume GB        server default
 Volume mount path    e.g. /workspace
 Attach volumes       + attach existing volume
 SSH ──────────────────────────────────────────────────────────────
 SSH public key       none: a .pub file, sent as PUBLIC_KEY

                      [ Create ]  [ Cancel ]



 Tab/↓ next  ^S/F10 create  F2 command  F3 save template  Esc cancel  F1 keys
"""
let SNAP_FORM_ERRORS_80 = """
 podtui · 4 pods (1 running) · $19.20/h · updated 0s ago                 ?:help
 New pod  (edited)                                       ^S create · Esc cancel
 Basics ───────────────────────────────────────────────────────────
 Name                 llama-ft-8
 Image                pytorch/pytorch:2.4.0-cuda12.1
 GPU type             NVIDIA_H100_80G · H100 80 GB               ▾
▸GPU count            3                                          ▾
                      ✗ must be a power of two: 1, 2, 4, 8…
 Regions              us-central-3                               ▾
                      ✗ H100 is sold out in us-central-3 (try us-east-1)
 Resource type        ‹GPU›  CPU
 Resources ────────────────────────────────────────────────────────
 Min VRAM/card GB     server default
 Min RAM/card GB      server default
 Min vCPU/card        server default
 Shared memory GB     server default
 Container disk GB    server default
 Image access ─────────────────────────────────────────────────────
 Image visibility     ‹PUBLIC›  PRIVATE
 Image registry       default: Docker Hub
 Registry credential  none: ↵ to choose                          ▾
                      list unavailable (HTTP 503): type it · ^R retry          ↓

 Tab/↓ next  ^S/F10 create  F2 command  F3 save template  Esc cancel  F1 keys
"""
let SNAP_FORM_PICKER_80 = """
 podtui · 4 pods (1 running) · $19.20/h · updated 0s ago                 ?:help
 New pod                                                 ^S create · Esc cancel
 Basics ───────────────────────────────────────────────────────────
 Name                 required, e.g. llama-finetune
 Image                required, e.g. pytorch/pytorch:2.4.0-cuda12.
▸GPU type             required: ↵ to choose                      ▾
 GPU count            1                                          ▾
 Regions              any: ↵ to choose                           ▾
┌─ GPU type ───────────────────────────────────────────────────────────────────┐
│ Filter: a                                                                    │
│ ▸ RTX 4090                24 GB · us-east-1                                  │
│   RTX 5090                32 GB · sold out                                   │
│   H100                    80 GB · us-east-1                                  │
│   A100 80GB               80 GB · us-west-1                                  │
│ ↑↓ move · ↵ choose · Esc close · a-z narrow · F1 keys  (4/4)                 │
└──────────────────────────────────────────────────────────────────────────────┘
 Image visibility     ‹PUBLIC›  PRIVATE
 Image registry       default: Docker Hub
 Registry credential  none: ↵ to choose                          ▾
                      list unavailable (HTTP 503): type it · ^R retry
 Registry user        deprecated: prefer a credential
 Registry password    deprecated: prefer a credential                          ↓

 ↑↓ move  ↵ choose  Esc close  a-z narrow  F1 keys
"""

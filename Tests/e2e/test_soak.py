"""Soak, short form: 600 polls on a 10 ms clock against a 200-pod simulator, faults and pod
changes mixed in; after the warm-up (300 polls, every fault kind once) podtui's RSS grows
less than 1 MB and it holds no more file descriptors or threads; at the end it answers keys,
never had two list requests out at once, and `q` gives the terminal back.

The same code as `scripts/soak.py`, whose long form (`scripts/soak.py --polls 10000
--poll-ms 10`, about 7 minutes) is the requirement's 10,000 polls; see its docstring for
what each figure means and how small a leak each form can see.
"""
import os
import sys

from harness import ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import soak  # noqa: E402


# 300 measured polls are a short window: malloc's arenas alone move RSS by about a megabyte
# either way (seen: -528, +20 and +1064 kB in three runs of the same binary). So the short
# form allows 2 MB, once, with no retry: it finds leaks of more than ~7 kB a poll, and the
# long form (scripts/soak.py, 8,000 measured polls, 1 MB) those of more than ~130 bytes.
SHORT_RSS_LIMIT_KB = 2 * soak.RSS_LIMIT_KB


def test_soak_short_form():
    report = soak.run(polls=600, poll_ms=10, warmup=0.5, fault_every=90)
    text = report.text()
    print(text)
    assert report.polls >= 600, text
    # Every fault kind hit a poll, each failing one was logged and shown as stale.
    assert set(report.faults) == {rule["kind"] for rule in soak.FAULTS}, text
    failing = sum(v for k, v in report.faults.items() if k != "slow")
    assert report.failed_polls >= failing and report.stale_seen >= 1, text
    assert report.changes >= 20, text
    assert report.rss_growth_kb < SHORT_RSS_LIMIT_KB, text
    assert report.end["fds"] <= report.warmup["fds"], text
    assert report.end["threads"] <= report.warmup["threads"], text
    assert report.max_concurrent_lists == 1, text
    assert report.keys_answered, text
    assert report.exit_code == 0 and report.terminal_restored and report.screen_modes_left == [], text
    assert report.crash_lines == [], text
    # (The RSS limit of the short form is the one above, not soak.py's.)
    assert [p for p in report.problems if not p.startswith("RSS")] == [], text


def test_soak_hostile_short_form():
    """The short form against issue 24's worst fleet: absurd numbers in a third of the pods,
    one pod touched per reply, eight pods flapping every two polls. podtui keeps polling and
    answering keys, and its state files (ledger, timers, log) stay bounded."""
    report = soak.run(polls=600, poll_ms=10, warmup=0.5, fault_every=90, hostile=True)
    text = report.text()
    print(text)
    assert report.polls >= 600, text
    assert report.keys_answered and report.exit_code == 0, text
    assert report.files_end and report.files_warmup, text
    assert not [p for p in report.problems if not p.startswith("RSS")], text

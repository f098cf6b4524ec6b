"""End-to-end: podtui under API faults, driven in a pty against `podtui sim`.

For each fault: podtui keeps answering keys, a half-filled create form survives the failing
polls, the last good data stays on screen marked stale with the reason and the retry time,
a pause that fails says so and is sent exactly once, and when the fault ends podtui recovers
by itself within the backoff it announced.

GET requests are retried inside the client, so faults are switched on for every request and
switched off with DELETE /_sim/faults.
"""
import re
import time
from dataclasses import dataclass, field

import pytest

from harness import Sim, TUI

ESC, TAB = "\x1b", "\t"
STALE = re.compile(r"stale: retrying (?:in (\d+)s|now) \((.+?)\)")
NO_DATA = re.compile(r"no data: retrying (?:in (\d+)s|now) \((.+?)\)")
RUNNING_POD = "llama-ft-7"
NEW_POD = {"id": 4242, "name": "added-during-fault", "status": "RUNNING", "gpuType": "NVIDIA_H100_80G"}


@dataclass
class Fault:
    rule: dict
    reason: str                      # what the header shows in brackets
    args: list = field(default_factory=list)
    pause: bool = False              # also check a failing pause
    first_failure: float = 10        # seconds until the first failed poll is on screen
    retry_after: int = 0             # a 429's Retry-After: the announced wait and the request spacing


FAULTS = {
    "http500": Fault({"kind": "http500"}, "HTTP 500, code 10002", pause=True),
    "http502": Fault({"kind": "http502"}, "HTTP 502"),
    "http503": Fault({"kind": "http503"}, "HTTP 503"),
    # Retry-After 3 s: the client's own retries wait 3 s each, and the poll backoff is 3 s.
    "rateLimit": Fault({"kind": "rateLimit", "retryAfter": 3}, "HTTP 429", first_failure=15, retry_after=3),
    # A request that never gets an answer: short timeouts so the test does not wait 15-30 s.
    "hang": Fault({"kind": "hang"}, "timeout", args=["--timeout", "1", "--read-timeout", "1", "--retries", "1"], pause=True),
    "drop": Fault({"kind": "drop"}, "connection closed before a reply", pause=True),
    "malformed": Fault({"kind": "malformed"}, "bad reply"),
    "unknownCode": Fault({"kind": "unknownCode"}, "code 19999"),
    "unauthorized": Fault({"kind": "unauthorized"}, "HTTP 401", pause=True),
}


@pytest.fixture
def sim():
    s = Sim(speed=1)                 # real time: no pod changes state during a test by itself
    yield s
    s.stop()


def header(tui):
    return tui.screen.display[0]


def pod_names(tui):
    """Names of the pod rows on screen (the list pane), once the frame is complete."""
    tui.settle()
    names, in_list = [], False
    for line in tui.screen.display[1:]:
        if line.lstrip().startswith("NAME"):
            in_list = True
            continue
        if in_list:
            if not line[1:2].strip() or line.startswith("─"):
                break
            names.append(line[1:].split()[0])
    return names


def list_gets(sim):
    return [r for r in sim.requests() if r["method"] == "GET" and r["path"] == "/v2/pods"]


def pauses(sim):
    return [r for r in sim.requests() if r["method"] == "POST" and r["path"].endswith("/pause")]


def open_form_and_type(tui):
    tui.send("n")
    tui.wait_text("New pod")
    tui.send("fault-form" + TAB + "ubuntu:22.04")
    tui.wait_text("ubuntu:22.04")


def form_intact(tui, extra=""):
    text = tui.text()
    return "New pod" in text and "fault-form" in text and "ubuntu:22.04" + extra in text


def keys_answered(tui):
    """j moves the selection, ? opens the help and any key closes it."""
    def selected():
        return tui.selected_line()[1:].split(" ")[0]

    before = selected()
    tui.send("j", settle=0)
    tui.wait_for(lambda t: selected() not in ("", before), timeout=3, what="j to move the selection")
    tui.send("k?", settle=0)
    tui.wait_for(lambda t: "Keys" in t and selected() == before, timeout=3, what="k, then the help")
    tui.send(" ", settle=0)
    tui.wait_for(lambda t: "Keys" not in t, timeout=3, what="help to close")


def discard_form(tui):
    tui.send(ESC, settle=0)
    tui.wait_text("Discard this form?")
    tui.send("y", settle=0)
    tui.wait_for(lambda t: "New pod" not in t, what="form closed")


def end_fault_and_recover(tui, end_fault, count_requests=None, pattern=STALE, slack=3):
    """Ends the fault while the header announces the next retry (so no request is in
    flight); podtui must then be fresh again within the wait it announced. Should a request
    still have been received before the fault ended (`count_requests` tells), that poll may
    fail and one more backoff is allowed. Returns the seconds recovery took."""
    def announced():
        m = pattern.search(header(tui))
        return int(m.group(1)) if m and m.group(1) else None

    tui.wait_for(lambda t: announced(), timeout=70, what="a retry announced")
    wait = announced()
    before = count_requests() if count_requests else 0
    end_fault()
    if count_requests and count_requests() != before:
        wait += 8                        # a request slipped in before the fault ended
    started = time.time()
    tui.wait_for(lambda t: "updated" in header(tui) and "stale" not in header(tui), timeout=wait + slack,
                 what=f"recovery within the announced {wait}s")
    return time.time() - started


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault(sim, name):
    fault = FAULTS[name]
    tui = TUI(sim, args=fault.args)
    try:
        tui.wait_text(RUNNING_POD)
        tui.wait_text("updated")
        before = pod_names(tui)
        assert len(before) >= 10

        # e) a half-filled form, then the fault: the failing polls must not touch it.
        open_form_and_type(tui)
        gets = len(list_gets(sim))
        sim.fault(**fault.rule)
        tui.send("-x")                   # keys are answered while the first failing poll is out
        tui.wait_text("ubuntu:22.04-x", timeout=3)
        tui.wait_for(lambda t: STALE.search(header(tui)), timeout=fault.first_failure, what="the stale marker")
        if fault.retry_after:            # the first announced wait is Retry-After, not the usual 2 s
            assert STALE.search(header(tui)).group(1) == str(fault.retry_after), header(tui)
        assert len(list_gets(sim)) > gets
        assert form_intact(tui, "-x"), tui.text()
        discard_form(tui)

        # b) the last good data stays, marked stale with the reason and when it retries.
        m = STALE.search(header(tui))
        assert m and m.group(2) == fault.reason, header(tui)
        assert pod_names(tui) == before
        # a) keys still work.
        keys_answered(tui)

        # d) a pause that fails says so, once, and is not sent again.
        if fault.pause:
            tui.goto(RUNNING_POD)
            tui.send("p")
            tui.wait_text(f"Pause {RUNNING_POD} failed", timeout=10)
            assert "(not retried)" in tui.text()
            assert len(pauses(sim)) == 1

        if fault.retry_after:            # every poll waited Retry-After (the UI does not retry a GET itself)
            tui.wait_for(lambda t: len(list_gets(sim)) - gets >= 3, timeout=4 * fault.retry_after + 5, what="three polls")
            times = [r["time"] for r in list_gets(sim)[gets:]]
            assert len(times) >= 3 and min(b - a for a, b in zip(times, times[1:])) >= fault.retry_after - 0.1, times

        # c) recovery by itself once the fault is gone, with the data the server has now.
        sim.call("POST", "/_sim/pods", [NEW_POD])
        end_fault_and_recover(tui, sim.clear_faults, lambda: len(list_gets(sim)))
        tui.wait_text(NEW_POD["name"], timeout=2)
        assert sorted(pod_names(tui)) == sorted(before + [NEW_POD["name"]])
        if fault.pause:                  # the fault is over, polls succeed: still the one pause
            assert len(pauses(sim)) == 1
            assert "RUNNING" in next(line for line in tui.screen.display if line[1:].startswith(RUNNING_POD))
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_slow_replies_keep_the_ui_alive_and_one_request_at_a_time(sim):
    """Every reply 5 s late (no timeout): keys, the form and the list stay usable, the age of
    the data grows without a false "stale", and ticks never start a second list request."""
    tui = TUI(sim)
    try:
        tui.wait_text("updated")
        before = pod_names(tui)
        open_form_and_type(tui)
        sim.fault("slow", delaySeconds=5)
        gets = len(list_gets(sim))
        tui.wait_for(lambda t: len(list_gets(sim)) > gets, timeout=5, what="a slow list request")
        sim.call("POST", "/_sim/pods", [NEW_POD])
        tui.send("-x")
        tui.wait_text("ubuntu:22.04-x", timeout=3)
        discard_form(tui)
        assert pod_names(tui) == before
        keys_answered(tui)
        tui.wait_for(lambda t: re.search(r"updated [3-9]s ago", header(tui)), timeout=6, what="the age growing")
        assert "stale" not in header(tui)
        # The slow reply lands with the pod added meanwhile; the fault ends.
        tui.wait_for(lambda t: NEW_POD["name"] in t, timeout=8, what="the slow reply")
        # Never a second list request while the slow one was out (ticks went on all along).
        first, *later = [r["time"] for r in list_gets(sim)[gets:]]
        assert all(t - first >= 4.9 for t in later), (first, later)
        sim.clear_faults()
        tui.wait_for(lambda t: re.search(r"updated [01]s ago", header(tui)), timeout=8, what="fresh data")
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_server_goes_away_and_comes_back(sim):
    """The simulator process stops (connection refused) and later a new one starts on the
    same port. --connect-timeout 1 --retries 1: see test_unreachable_api_is_reported_promptly."""
    tui = TUI(sim, args=["--connect-timeout", "1", "--retries", "1"])
    try:
        tui.wait_text(RUNNING_POD)
        tui.wait_text("updated")
        before = pod_names(tui)
        open_form_and_type(tui)
        sim.stop()
        tui.send("-x")
        tui.wait_text("ubuntu:22.04-x", timeout=3)
        tui.wait_for(lambda t: STALE.search(header(tui)), timeout=15, what="the stale marker")
        assert STALE.search(header(tui)).group(2) == "connection refused", header(tui)
        assert form_intact(tui, "-x")
        discard_form(tui)
        assert pod_names(tui) == before
        keys_answered(tui)
        tui.goto(RUNNING_POD)
        tui.send("p")
        tui.wait_text(f"Pause {RUNNING_POD} failed", timeout=10)
        assert "(not retried)" in tui.text()

        replacement = []
        recovery = end_fault_and_recover(tui, lambda: replacement.append(Sim(speed=1, port=sim.port)))
        try:
            assert sorted(pod_names(tui)) == sorted(before)
            tui.pump(2)
            assert pauses(replacement[0]) == []   # the failed pause was not sent again to the new server
        finally:
            for s in replacement:
                s.stop()
        assert recovery < 10
    finally:
        tui.close()


class Unresolvable:
    url = "https://podtui-e2e.invalid"


def test_dns_failure_no_data_yet():
    """The host name does not resolve (and plain http is refused off loopback, so https).
    --connect-timeout 1 --retries 1: see test_unreachable_api_is_reported_promptly."""
    tui = TUI(Unresolvable, args=["--connect-timeout", "1", "--retries", "1"])
    try:
        tui.wait_for(lambda t: NO_DATA.search(header(tui)), timeout=15, what="no data marker")
        assert NO_DATA.search(header(tui)).group(2) == "could not resolve the host name", header(tui)
        assert "Cannot load pods: Cannot reach the API: could not resolve the host name" in tui.text()
        tui.send("?")
        tui.wait_text("Keys", timeout=3)
        tui.send(" ")
        open_form_and_type(tui)
        polls = len(re.findall(r"poll \d+ failed", tui.log()))
        tui.wait_for(lambda t: len(re.findall(r"poll \d+ failed", tui.log())) > polls, timeout=15,
                     what="another failed poll")
        assert form_intact(tui)
        discard_form(tui)
        tui.send("q")
        assert tui.wait_exit() == 0
    finally:
        tui.close()


def test_unreachable_api_is_reported_promptly(sim):
    """Default flags: the server gone, or its name unknown, shows within a poll or two."""
    gone = TUI(sim)
    unknown = TUI(Unresolvable)
    try:
        gone.wait_text("updated")
        sim.stop()
        end = time.time() + 7
        while time.time() < end and not (STALE.search(header(gone)) and NO_DATA.search(header(unknown))):
            gone.pump(0.05)
            unknown.pump(0.05)
        assert STALE.search(header(gone)), header(gone)
        assert NO_DATA.search(header(unknown)), header(unknown)
    finally:
        gone.close()
        unknown.close()

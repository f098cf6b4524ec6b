"""A skipped end-to-end test is a failure unless it is on ALLOWED_SKIPS with a reason.

scripts/test installs everything these tests need (sshd, the ssh client, tic, the official
yotta CLI), so on a machine it has prepared nothing should skip; a skip there means a test
silently stopped testing. Run pytest with -rs to see every skip and its reason.
"""
import pytest

# node id (or its start) -> why skipping it is acceptable. Empty: nothing may skip today.
ALLOWED_SKIPS = {
}

_skipped = []


def _allowed(nodeid):
    return any(nodeid.startswith(prefix) for prefix in ALLOWED_SKIPS)


def pytest_runtest_logreport(report):
    if report.skipped and not _allowed(report.nodeid):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("skipped tests not on ALLOWED_SKIPS (conftest.py): a failure")
        for nodeid in _skipped:
            terminalreporter.write_line(nodeid)

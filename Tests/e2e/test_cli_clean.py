"""End-to-end: every line `podtui volumes` and `podtui credentials` print is cleaned (issue 24,
review L1). A server that answers with escape sequences in a created volume's status or name,
or in a credential's name, gets them shown as U+FFFD, never written raw to the terminal
(an OSC 52 would set the clipboard, an OSC 0 the title)."""
import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness import BINARY, KEY

HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b31m\u202e"
RAW = [b"\x1b", b"\x07", "\u009b".encode(), "\u202e".encode()]


class Hostile(BaseHTTPRequestHandler):
    """Answers the create and list calls with hostile text in every string."""

    def reply(self, data):
        body = json.dumps({"code": 10000, "message": "ok", "data": data}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/v2/volumes"):
            self.reply({"id": 77, "name": "vol" + HOSTILE, "storageType": "S3", "status": "creating" + HOSTILE})
        elif self.path.startswith("/v2/container-registry-auths"):
            self.reply({"id": 88, "name": "cred" + HOSTILE, "type": "DOCKER_HUB", "username": "u" + HOSTILE})
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def run(url, tmp_path, *args, input=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTTA_")}
    env.update({"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s"),
                "LANG": "C.UTF-8", "YOTTA_API_KEY": KEY, "YOTTA_BASE_URL": url, "SWIFT_BACKTRACE": "enable=no"})
    return subprocess.run([BINARY, *args], env=env, input=input, capture_output=True, timeout=60, start_new_session=True)


def test_volumes_create_prints_the_status_cleaned(server, tmp_path):
    result = run(server, tmp_path, "volumes", "create", "--name", "v1", "--type", "S3")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("77: created vol") and "creating" in out, out
    for raw in RAW:
        assert raw not in result.stdout, f"{raw!r} written raw: {result.stdout!r}"
    assert "\ufffd" in out


def test_credentials_create_prints_the_name_cleaned(server, tmp_path):
    result = run(server, tmp_path, "credentials", "create", "--name", "c1", "--type", "DOCKER_HUB", "--username", "u",
                 "--password-stdin", input=b"hunter22\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "created cred" in out, out
    for raw in RAW:
        assert raw not in result.stdout + result.stderr, f"{raw!r} written raw: {result.stdout!r}"

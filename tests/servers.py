"""ASGI servers as separate processes on the test database and the suite's Redis (WebSockets need
a real server: pytest-django's live_server speaks WSGI only), and a script's view of them: the
HTTP API with a token, and streams opened with a ticket."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

from riskops.embedded_redis import free_port
from riskops.serving import APPLICATION, uvicorn_command
from tests.processes import BASE_DIR, test_database_url


def command(kind: str, port: int) -> list[str]:
    """The server as the project starts it (Daphne believes no proxy header unless told to)."""
    if kind == "daphne":
        return [sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port", str(port), APPLICATION]
    return uvicorn_command(port)


class AsgiServer:
    def __init__(
        self, directory: Path, kind: str = "uvicorn", port: int | None = None, redis_url: str | None = None
    ):
        self.directory, self.kind, self.redis_url = directory, kind, redis_url
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20) -> "AsgiServer":
        env = {**os.environ, "DATABASE_URL": test_database_url()}
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        log = open(self.directory / f"{self.kind}-{self.port}.log", "ab")  # noqa: SIM115 - the child's
        self.process = subprocess.Popen(
            command(self.kind, self.port),
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.kind} did not start; see {self.directory}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Script:
    """Someone using a server's API with their token, as another system would."""

    def __init__(self, server: AsgiServer, token: str):
        self.server, self.token = server, token

    @classmethod
    def of(cls, server: AsgiServer, user) -> "Script":
        from rest_framework.authtoken.models import Token

        return cls(server, Token.objects.get_or_create(user=user)[0].key)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | list | None]:
        request = urllib.request.Request(
            self.server.url + path,
            method=method,
            data=json.dumps(body or {}).encode(),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        return status, json.loads(text) if text else None

    def post(self, path: str, body: dict | None = None) -> dict:
        status, data = self.call("POST", path, body)
        assert status in (200, 201), (path, status, data)
        return data

    def stream(self, path: str, query: str = ""):
        """A WebSocket on `path`, opened with a single-use ticket (use it in a `with`)."""
        ticket = self.post("/api/v1/ws-ticket/")["ticket"]
        separator = "&" if query else ""
        return connect(f"{self.server.ws_url}{path}?{query}{separator}ticket={ticket}", open_timeout=10)


def declare_drill(script: Script, playbook, commander) -> dict:
    """A drill at clock rate 3600 declared through the API: with a three-tier playbook, tier 1's
    task is overdue at 2 s and escalated at 3 s and 4 s (executives), tier 2 starts at 6 s."""
    return script.post(
        "/api/v1/incidents/",
        {
            "title": "Drill: supplier fire",
            "severity": 2,
            "playbook": playbook.pk,
            "commander": commander.pk,
            "drill": True,
            "clock_rate": 3600,
        },
    )

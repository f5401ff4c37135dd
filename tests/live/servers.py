"""ASGI servers as separate processes on the test database and the suite's Redis (WebSockets need
a real server: pytest-django's live_server speaks WSGI only)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from riskops.embedded_redis import free_port
from tests.incidents.stack import BASE_DIR, test_database_url

APPLICATION = "riskops.asgi:application"


def command(kind: str, port: int) -> list[str]:
    if kind == "daphne":
        return ["-m", "daphne", "--bind", "127.0.0.1", "--port", str(port), APPLICATION]
    return [
        "-m",
        "uvicorn",
        APPLICATION,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]


class AsgiServer:
    def __init__(self, directory: Path, kind: str = "uvicorn", port: int | None = None):
        self.directory, self.kind = directory, kind
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
        log = open(self.directory / f"{self.kind}-{self.port}.log", "ab")  # noqa: SIM115 - the child's
        self.process = subprocess.Popen(
            [sys.executable, *command(self.kind, self.port)],
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

"""Real Celery workers and beat as separate processes, on a private Redis and the test database."""

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from django.db import connection

from riskops.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The database the test is using, as a URL another process can open."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _signal_group(process: subprocess.Popen, sig) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


class Stack:
    """Starts and kills workers and beat; every process is its own group, so a kill is complete.

    Like the supervisor a deployment runs them under (and `make run`'s launcher), it starts a
    process again when it exits by itself: a Celery worker exits with "Unrecoverable error" when
    Redis vanishes while it holds unacknowledged messages.
    """

    def __init__(self, redis_url: str, directory: Path):
        self.env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": test_database_url()}
        self.directory = directory
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[str, ...]] = {}
        self.restarts = 0

    def respawn_exited(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is not None:
                self.restarts += 1
                self.start(name, *self.commands[name])

    def start(self, name: str, *args: str) -> None:
        self.commands[name] = args
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the child
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "riskops", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def worker(self, name: str) -> None:
        self.start(
            name,
            "worker",
            "-Q",
            "timers,default",
            "--concurrency",
            "2",
            "--hostname",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        )

    def beat(self) -> None:
        """With the deployment's scheduler, whose ticks /healthz reads."""
        self.start(
            "beat",
            "beat",
            "--scheduler",
            "riskops.celery:HeartbeatScheduler",
            "--schedule",
            str(self.directory / "beat-schedule"),
            "--loglevel",
            "INFO",
        )

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        _signal_group(process, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """At a test's end: every group killed at once, none asked to finish its work politely
        (a warm shutdown of each in turn cost seconds a test, and no test is about it)."""
        processes = [self.processes.pop(name) for name in list(self.processes)]
        for process in processes:
            _signal_group(process, signal.SIGKILL)
        for process in processes:
            process.wait(timeout=30)

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")


def wait_until(predicate, timeout: float, interval: float = 0.2, stack: Stack | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack is not None:
            stack.respawn_exited()
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def worker_in_this_process():
    """A solo Celery worker in a thread of the test process, for tests about what it does, not how it dies.

    Celery sets the root logger's level as it starts (ERROR unless told); it is given the level
    the project configured, so later tests in this process still see INFO lines.
    """
    level = logging.getLevelName(logging.getLogger().level)
    return start_worker(
        celery_app, pool="solo", loglevel=level, perform_ping_check=False, shutdown_timeout=10
    )

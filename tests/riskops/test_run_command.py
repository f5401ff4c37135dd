"""`make run`'s launcher on the embedded defaults: healthy, createsuperuser alongside, a crashed
worker started again, nothing left behind."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from riskops.embedded_redis import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.embedded_smoke]


def processes_marked(marker: str) -> list[int]:
    """Process ids whose environment carries the marker: the launcher and all it started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def wait_for_health(url: str, launcher: subprocess.Popen, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert launcher.poll() is None, "the launcher exited early"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                if response.status == 200:
                    return response.read()
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("never healthy")


def test_run_comes_up_healthy_restarts_a_crashed_worker_and_stops_every_child(tmp_path):
    marker = f"RISKOPS_TEST_RUN={uuid.uuid4()}"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {"PORT": str(port), "RISKOPS_VAR_DIR": str(tmp_path), marker.split("=")[0]: marker.split("=")[1]}
    )
    launcher = subprocess.Popen(
        [sys.executable, "-m", "riskops.launcher"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        wait_for_health(health, launcher)
        assert (tmp_path / "riskops.sqlite3").exists()
        assert (tmp_path / "admin-password").exists()
        assert len(processes_marked(marker)) >= 5  # launcher, redis, asgi, worker (+ pool), beat

        created = subprocess.run(
            [sys.executable, "manage.py", "createsuperuser", "--noinput"],
            cwd=BASE_DIR,
            env={
                **env,
                "DJANGO_SUPERUSER_USERNAME": "second-admin",
                "DJANGO_SUPERUSER_PASSWORD": "Another-Strong-One-5",
                "DJANGO_SUPERUSER_EMAIL": "second@example.com",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert created.returncode == 0, created.stderr

        # The Celery worker crashes (with its pool): the launcher starts it again, healthy.
        for pid in processes_marked(marker):
            if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes() and pid != launcher.pid:
                os.kill(pid, signal.SIGKILL)
        time.sleep(2)
        wait_for_health(health, launcher)
    finally:
        launcher.send_signal(signal.SIGTERM)
        output, _ = launcher.communicate(timeout=60)

    assert launcher.returncode == 0, output
    assert "RiskOps is up" in output
    assert "created administrator 'admin' with password" in output
    assert "the worker process exited" in output and "starting it again" in output
    time.sleep(0.5)
    assert processes_marked(marker) == [], "a child process outlived the launcher"

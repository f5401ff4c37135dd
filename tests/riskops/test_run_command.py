"""`make run`'s launcher on the embedded defaults: healthy, createsuperuser alongside, a crashed
worker and a killed redis-server started again, no forged address believed, nothing left behind."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

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


def wait_for_health(url: str, launcher: subprocess.Popen, timeout: float = 180) -> dict:
    """/healthz answers once every component is up; on a loaded machine one answer may take seconds."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        assert launcher.poll() is None, "the launcher exited early"
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                if response.status == 200:
                    return response.read()
        except urllib.error.HTTPError as error:
            last = error.read().decode()
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise AssertionError(f"never healthy; last answer: {last}")


def start_launcher(var: Path) -> tuple[subprocess.Popen, int, str, dict]:
    """`make run`'s launcher on the embedded defaults, its data in `var`: (the process, its port,
    the marker in its children's environment, that environment)."""
    marker = f"RISKOPS_TEST_RUN={uuid.uuid4()}"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "RISKOPS_PROXY_COUNT"}
    }
    env.update({"PORT": str(port), "RISKOPS_VAR_DIR": str(var), marker.split("=")[0]: marker.split("=")[1]})
    # Its output goes to a file, never an unread pipe: a full pipe would block the launcher's
    # writes, and behind it every child writing to it, until someone read it.
    with open(var / "launcher.log", "w") as log:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "riskops.launcher"], cwd=BASE_DIR, env=env, stdout=log, stderr=log
        )
    return launcher, port, marker, env


def redis_servers_on(port: int) -> list[int]:
    """redis-server processes serving `port` (one names itself `redis-server 127.0.0.1:<port>`,
    writing over its own command line and environment)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            title = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and b"redis-server" in title and f"127.0.0.1:{port}\0".encode() in title:
            found.append(int(proc.name))
    return found


def sign_in_by_token(port: int, username: str, password: str, forged: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forged, "X-Real-IP": forged},
        method="POST",
    )
    try:  # the project's own password hashing, slow on purpose (and slower on a loaded machine)
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def create_second_superuser(env: dict) -> None:
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


def kill_the_worker(marker: str, launcher: subprocess.Popen) -> None:
    """The Celery worker crashes, with its pool."""
    for pid in processes_marked(marker):
        if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes() and pid != launcher.pid:
            os.kill(pid, signal.SIGKILL)


def kill_the_redis_server(var: Path) -> tuple[str, int]:
    """The private redis-server is SIGKILLed; waits until the launcher has started another on the
    same port and returns (its url, its port)."""
    url = (var / "redis.url").read_text()
    redis_port = int(url.rsplit(":", 1)[1].split("/")[0])
    [first] = redis_servers_on(redis_port)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 90  # the launcher notices and restarts it; slower on a loaded machine
    while not [pid for pid in redis_servers_on(redis_port) if pid != first]:
        assert time.monotonic() < deadline, "the redis-server was not started again"
        time.sleep(0.2)
    assert not Path(f"/proc/{first}").exists(), "the killed redis-server was left a zombie"
    return url, redis_port


def test_run_comes_up_healthy_survives_its_children_dying_believes_no_forged_address_and_stops_every_child(
    tmp_path,
):
    """One launcher for the whole life: up, a second administrator created alongside, the worker
    and then the redis-server killed and each started again, and nothing left behind at the end."""
    launcher, port, marker, env = start_launcher(tmp_path)
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        wait_for_health(health, launcher)
        assert (tmp_path / "riskops.sqlite3").exists()
        assert (tmp_path / "admin-password").exists()
        assert len(processes_marked(marker)) >= 5  # launcher, redis, asgi, worker (+ pool), beat
        create_second_superuser(env)

        kill_the_worker(marker, launcher)
        time.sleep(2)
        wait_for_health(health, launcher)

        # Started again on the same port and data directory; worker, beat and server reconnect.
        url, redis_port = kill_the_redis_server(tmp_path)
        client = redis.Redis.from_url(url)
        assert client.config_get("dir")["dir"] == str(tmp_path / "redis")
        assert (tmp_path / "redis.url").read_text() == url
        wait_for_health(health, launcher)

        # Five wrong passwords, each with another forged address, lock the real one out: the
        # server believes no X-Forwarded-For (RISKOPS_PROXY_COUNT is 0).
        password = (tmp_path / "admin-password").read_text().strip()
        wrong = [sign_in_by_token(port, "admin", "wrong", f"192.0.2.{n}") for n in range(5)]
        assert wrong == [400] * 4 + [429]
        assert sign_in_by_token(port, "admin", password, "198.51.100.7") == 429
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=60)
        output = (tmp_path / "launcher.log").read_text()

    assert launcher.returncode == 0, output
    assert "RiskOps is up" in output
    assert "created administrator 'admin' with password" in output
    assert "the worker process exited" in output and "the redis process exited" in output
    assert "starting it again" in output
    time.sleep(0.5)
    assert processes_marked(marker) == [], "a child process outlived the launcher"
    assert redis_servers_on(redis_port) == [], "the redis-server outlived the launcher"

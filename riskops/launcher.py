"""`make run`: the whole system on one machine, stopped as one.

Starts a private redis-server when REDIS_URL is unset, prepares the database (migrate,
demo data once, an administrator), then runs the ASGI server, a Celery worker and Celery
beat as child processes, and starts a child again if it exits by itself (as a supervisor
would: a Celery worker exits when Redis vanishes under it). Ctrl-C or SIGTERM stops every
child and its own children.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from riskops.serving import uvicorn_command

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RISKOPS_VAR_DIR", BASE_DIR / "var"))
PYTHON = sys.executable
STOP_GRACE_SECONDS = 10
# A child that exits this many times within RESTART_WINDOW seconds is broken: stop everything.
MAX_RESTARTS = 5
RESTART_WINDOW = 60
# A child that exited is started again at once the first time, then after 0.5 s, 1 s, 2 s, 4 s
# (its exits within RESTART_WINDOW counted), so one that cannot start does not spin.
FIRST_BACKOFF = 0.5


def backoff(exits: int) -> float:
    return 0.0 if exits <= 1 else FIRST_BACKOFF * 2 ** (exits - 2)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


def say(message: str) -> None:
    print(f"[riskops] {message}", flush=True)


class Launcher:
    def __init__(self, port: int):
        self.port = port
        self.children: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[str, ...]] = {}
        self.restarts: dict[str, list[float]] = {}
        self.due: dict[str, float] = {}  # when an exited child is started again
        self.redis = None
        self.stopping = False

    def start_redis(self) -> None:
        if os.environ.get("REDIS_URL"):
            say(f"using Redis at {os.environ['REDIS_URL']}")
            return
        from riskops.embedded_redis import EmbeddedRedis

        self.redis = EmbeddedRedis(VAR_DIR / "redis").start()
        (VAR_DIR / "redis.url").write_text(self.redis.url)
        os.environ["REDIS_URL"] = self.redis.url
        say(f"started a private redis-server at {self.redis.url}")

    def spawn(self, name: str, *command: str) -> None:
        # Each child leads its own process group, so stopping it stops its own children too.
        self.commands[name] = command
        self.children[name] = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)

    def exited(self) -> dict[str, int]:
        """The children that exited, reaped (poll() waits for them), with their exit codes; the
        private redis-server among them."""
        codes = {name: child.returncode for name, child in self.children.items() if child.poll() is not None}
        if self.redis is not None and (code := self.redis.poll()) is not None:
            codes["redis"] = code
        return codes

    def restart_exited(self) -> bool:
        """Starts exited children again, with back-off; False when one keeps exiting."""
        now = time.monotonic()
        for name, code in self.exited().items():
            if name not in self.due:
                recent = [t for t in self.restarts.get(name, []) if now - t < RESTART_WINDOW] + [now]
                self.restarts[name] = recent
                if len(recent) > MAX_RESTARTS:
                    say(f"the {name} process keeps exiting; stopping everything")
                    return False
                self.due[name] = now + backoff(len(recent))
                say(f"the {name} process exited (code {code}); starting it again")
            if now >= self.due[name]:
                del self.due[name]
                self.start_again(name)
        return True

    def start_again(self, name: str) -> None:
        if name == "redis":
            # Same port and data directory: every client finds it where it was.
            try:
                self.redis.start()
            except RuntimeError as error:
                say(str(error))  # it has exited again, or does not answer: counted as an exit
                self.redis.stop()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.children[name].pid, signal.SIGKILL)  # whatever it left behind
        self.spawn(name, *self.commands[name])

    def start_processes(self) -> None:
        workers = os.environ.get("CELERY_CONCURRENCY", "2")
        self.spawn("asgi", *uvicorn_command(self.port, log_level="info"))
        self.spawn(
            "worker",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "riskops",
            "worker",
            "-Q",
            "timers,default",
            "--concurrency",
            workers,
            "--loglevel",
            "INFO",
            "--hostname",
            f"riskops-{self.port}@%h",
        )
        self.spawn(
            "beat",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "riskops",
            "beat",
            "--scheduler",
            "riskops.celery:HeartbeatScheduler",
            "--loglevel",
            "INFO",
        )

    def wait_healthy(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline and not self.stopping:
            try:
                with urllib.request.urlopen(url, timeout=3) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            if not self.restart_exited():
                return False
            time.sleep(0.5)
        return False

    def stop(self, *_signal) -> None:
        self.stopping = True

    def shutdown(self) -> None:
        for process in self.children.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.children.values():
            try:
                os.killpg(process.pid, signal.SIGKILL)  # anything left in the group
            except ProcessLookupError:
                pass
            process.wait()
        if self.redis is not None:
            self.redis.stop()
            (VAR_DIR / "redis.url").unlink(missing_ok=True)
        say("stopped")

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            self.start_redis()
            manage("migrate", "--noinput", "-v", "0")
            manage("load_demo")
            manage("ensure_admin")
            self.start_processes()
            if self.wait_healthy():
                base = f"http://127.0.0.1:{self.port}"
                say(f"RiskOps is up: {base}/  (API docs {base}/api/docs/, admin {base}/admin/)")
                say(f"health: {base}/healthz   stop with Ctrl-C")
            elif not self.stopping:
                say("RiskOps did not become healthy; see the log above")
            while not self.stopping:
                if not self.restart_exited():
                    return 1
                time.sleep(0.5)
            return 0
        finally:
            self.shutdown()


def main() -> None:
    sys.exit(Launcher(port=int(os.environ.get("PORT", "8000"))).run())


if __name__ == "__main__":
    main()

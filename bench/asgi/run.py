"""Uvicorn or Daphne? Both serve riskops.asgi, measured the same way in one run.

    .venv/bin/python bench/asgi/run.py

For each server: HTTP requests per second and latency (GET /login/, a rendered page, 20
keep-alive connections), and WebSocket connection round trips (open /ws/dashboard/ without a
session → the consumer closes with 4401: routing, auth middleware, consumer). The floor: the
same client against a bare asyncio HTTP server that answers a fixed response.
"""

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 3000
CONNECTIONS = 20
WS_ROUNDS = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def http_load(port: int, path: str = "/login/") -> tuple[float, list[float]]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    latencies: list[float] = []
    per_connection = REQUESTS // CONNECTIONS

    async def one_connection():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(per_connection):
            start = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - start) * 1000)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(CONNECTIONS)))
    return len(latencies) / (time.perf_counter() - start), latencies


async def ws_rounds(port: int) -> list[float]:
    latencies = []
    for _ in range(WS_ROUNDS):
        start = time.perf_counter()
        try:
            async with websockets.connect(
                f"ws://127.0.0.1:{port}/ws/dashboard/", origin="http://127.0.0.1"
            ) as ws:
                await ws.recv()
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd.code == 4401, closed
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


async def bare_server(port: int):
    body = b"x" * 2000
    response = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    async def handle(reader, writer):
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            writer.write(response)
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def summary(name: str, rate: float, http: list[float], ws: list[float] | None) -> str:
    http.sort()
    line = (
        f"{name:8s} HTTP {rate:7.0f} req/s  p50 {statistics.median(http):6.2f} ms  "
        f"p99 {http[int(len(http) * 0.99)]:6.2f} ms"
    )
    if ws:
        ws.sort()
        p99 = ws[int(len(ws) * 0.99)]
        line += f"   WebSocket open→close p50 {statistics.median(ws):5.2f} ms  p99 {p99:5.2f} ms"
    return line


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "riskops.settings"}
    commands = {
        "uvicorn": [
            sys.executable,
            "-m",
            "uvicorn",
            "riskops.asgi:application",
            "--host",
            "127.0.0.1",
            "--no-access-log",
            "--no-proxy-headers",  # as every server the project starts (riskops/serving.py)
            "--log-level",
            "warning",
            "--port",
        ],
        "daphne": [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-v", "0", "-p"],
    }
    port = free_port()

    async def floor():
        server = await bare_server(port)
        rate, http = await http_load(port, "/")
        server.close()
        return rate, http

    rate, http = asyncio.run(floor())
    print(summary("floor", rate, http, None))
    for name, command in commands.items():
        port = free_port()
        args = command + [str(port)] + (["riskops.asgi:application"] if name == "daphne" else [])
        server = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port)
            asyncio.run(http_load(port))  # warm up
            rate, http = asyncio.run(http_load(port))
            ws = asyncio.run(ws_rounds(port))
            print(summary(name, rate, http, ws))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

"""How the project starts its ASGI server, wherever it does (`make run`, the test suite, benches).

Uvicorn believes `X-Forwarded-For` and `X-Forwarded-Proto` from the loopback address by default,
so behind no proxy anyone on the host could choose the address the sign-in lockout counts. The
server is therefore always started with its proxy-header handling off; the application reads
`X-Forwarded-For` itself, and only as `RISKOPS_PROXY_COUNT` says (riskops/settings.py).
"""

import sys

APPLICATION = "riskops.asgi:application"


def uvicorn_command(port: int, *, host: str = "127.0.0.1", log_level: str = "warning") -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        APPLICATION,
        "--host",
        host,
        "--port",
        str(port),
        "--no-proxy-headers",
        "--no-access-log",
        "--log-level",
        log_level,
    ]

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from people.models import Role


class ChatBot:
    """A real HTTP server on 127.0.0.1 that records every JSON body POSTed to it."""

    def __init__(self):
        self.received: list[dict] = []
        self.arrived = threading.Event()
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                bot.received.append(json.loads(self.rfile.read(length)))
                bot.arrived.set()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chat_bot():
    bot = ChatBot()
    yield bot
    bot.stop()


@pytest.fixture
def refused_url():
    """An address on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.fixture
def english(make_user):
    return make_user(Role.RESPONDER, email="en@example.com", language="en")


@pytest.fixture
def chinese(make_user):
    return make_user(Role.RESPONDER, email="zh@example.com", language="zh-hans")

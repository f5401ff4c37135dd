import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from riskops.asgi import application
from tests.incidents.conftest import cast, declared_at, incident, playbook, redis  # noqa: F401 - fixtures

ORIGIN = b"http://testserver"


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Socket:
    """A WebSocket client of the real ASGI application (origin check, session, routing)."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.close_code = None

    async def receive(self, timeout: float = 3) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def closed_with(self, timeout: float = 3) -> int:
        output = await self.communicator.receive_output(timeout=timeout)
        assert output["type"] == "websocket.close", output
        return output.get("code")

    async def nothing_more(self, timeout: float = 0.3) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def disconnect(self):
        await self.communicator.disconnect()


@pytest.fixture
async def sockets():
    """`await sockets.open(path, user=… or cookie=…, origin=…, query=…)`; all disconnected afterwards."""
    opened = []

    class Opener:
        async def open(self, path, *, user=None, cookie=None, origin=ORIGIN, query=""):
            headers = [(b"host", b"testserver")]
            if origin:
                headers.append((b"origin", origin))
            if user is not None:
                cookie = await database_sync_to_async(session_cookie)(user)
                headers.append((b"cookie", cookie.encode()))
            elif cookie is not None:
                headers.append((b"cookie", f"sessionid={cookie}".encode()))
            communicator = WebsocketCommunicator(application, path + query, headers=headers)
            opened.append(communicator)
            connected, code = await communicator.connect(timeout=5)
            socket = Socket(communicator)
            socket.accepted = connected
            socket.close_code = None if connected else code
            return socket

    yield Opener()
    for communicator in opened:
        await communicator.disconnect()


@pytest.fixture
def asgi_servers(transactional_db, tmp_path):
    """`asgi_servers.start()` → a Uvicorn process on the test database and the suite's Redis (or
    `redis_url`'s); all stopped afterwards."""
    from tests.live.servers import AsgiServer

    started = []

    class Servers:
        def start(self, kind="uvicorn", port=None, redis_url=None):
            server = AsgiServer(tmp_path, kind=kind, port=port, redis_url=redis_url).start()
            started.append(server)
            return server

    yield Servers()
    for server in started:
        server.stop()


@pytest.fixture
def workers(redis, tmp_path):  # noqa: F811 - the fixture imported above
    """Two Celery workers and beat on the private `redis` and the test database."""
    from tests.incidents.stack import Stack

    stack = Stack(redis.url, tmp_path)
    stack.worker("one")
    stack.worker("two")
    stack.beat()
    yield stack
    stack.stop_all()


@pytest.fixture
def page_on(browser):
    """`page_on(server, user)` → a Playwright page signed in as that person on that server."""
    from tests.conftest import PASSWORD

    contexts = []

    def open_page(server, user):
        context = browser.new_context(locale="zh-CN" if user.language == "zh-hans" else "en-US")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()

import socket

import pytest

from people.models import Role


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

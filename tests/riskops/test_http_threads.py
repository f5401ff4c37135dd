"""Pages through Django's WSGI handler on a few threads of each Uvicorn process (riskops/asgi.py):
more people at once than there are threads each get their own page, as themselves, in their own
language, under their own request id, and the database connections go back to the pool."""

import concurrent.futures
import http.client
import json

from people.models import Role
from riskops.asgi import HTTP_THREADS
from tests.fixtures.live import session_cookie

ROUNDS = 3


def test_more_people_at_once_than_threads_each_get_their_own_page(asgi_servers, make_user):
    server = asgi_servers.start()
    people = [
        make_user(Role.RISK_OFFICER, username=f"officer{n}", language="zh-hans" if n % 2 else "en")
        for n in range(3 * HTTP_THREADS)
    ]
    cookies = {person.pk: session_cookie(person) for person in people}

    def page_of(person, attempt: int) -> tuple:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        sent = f"{person.username}.{attempt}"
        connection.request("GET", "/risks/", headers={"Cookie": cookies[person.pk], "X-Request-ID": sent})
        response = connection.getresponse()
        answer = (person, sent, response.status, response.getheader("X-Request-ID"), response.read().decode())
        connection.close()
        return answer

    # Each round holds every thread, and more: a connection not given back would starve a later one.
    with concurrent.futures.ThreadPoolExecutor(len(people)) as pool:
        for attempt in range(ROUNDS):
            for person, sent, status, request_id, page in pool.map(page_of, people, [attempt] * len(people)):
                assert status == 200, page[:300]
                assert request_id == sent
                assert f'<span class="who account">{person.username} ' in page
                assert ("风险登记册" if person.language == "zh-hans" else "Risk register") in page


def chunked_post(server, path: str, body: bytes) -> tuple[int, dict]:
    """A POST whose body is sent in chunks, with no Content-Length (as `curl -T -` and some webhook
    senders do)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    pieces = [body[start : start + 1000] for start in range(0, len(body), 1000)]
    connection.request(
        "POST", path, body=iter(pieces), headers={"Content-Type": "application/json"}, encode_chunked=True
    )
    response = connection.getresponse()
    answer = response.status, json.loads(response.read() or b"{}")
    connection.close()
    return answer


def test_a_body_sent_in_chunks_is_read_whole_and_a_too_large_one_refused(asgi_servers, make_user, settings):
    server = asgi_servers.start()
    person = make_user(Role.RESPONDER, username="sender")
    person.set_password("A long enough passphrase 42")
    person.save()
    sign_in = json.dumps({"username": "sender", "password": "A long enough passphrase 42"}).encode()
    status, answer = chunked_post(server, "/api/v1/auth/token/", sign_in)
    assert status == 200 and answer["token"], answer
    status, answer = chunked_post(
        server, "/api/v1/auth/token/", b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    )
    assert status == 413 and "too large" in answer["detail"]

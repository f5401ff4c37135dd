"""Django's handler500: an outage of the database is a 503 to retry, anything else a 500."""

import pytest
from django.db import OperationalError

from riskops.problem_pages import server_error


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/v1/risks/", "application/json"), ("/risks/", "text/plain")]
)
def test_a_database_outage_answers_503_with_retry_after_not_500(rf, path, content_type):
    """What Django's handler500 gets while the database refuses connections: an outage, not a bug."""
    try:
        raise OperationalError('connection to server at "db" failed: Connection refused')
    except OperationalError:
        response = server_error(rf.get(path))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(content_type)
    assert b"database cannot be reached" in response.content


def test_any_other_error_is_still_a_500(rf):
    try:
        raise KeyError("a bug")
    except KeyError:
        response = server_error(rf.get("/api/v1/risks/"))
    assert response.status_code == 500

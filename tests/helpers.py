from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """SQL queries for one GET of ``url``, after a first GET so the session's once-a-minute write is not counted."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)

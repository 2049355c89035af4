"""The market's row-built documents and members in every role serve these tests too."""

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from tests.market.conftest import grant, make_doc, users  # noqa: F401  (fixtures and helpers)


class _WideServer(ThreadedWSGIServer):
    # Django's live server listens with a backlog of 10: 50 clients connecting at
    # once would be reset by the kernel before any request reached the site.
    request_queue_size = 128


class _WideLiveServer(LiveServerThread):
    server_class = _WideServer


@pytest.fixture
def wide_live_server(transactional_db):
    """A live server (pytest-django's, with a deeper listen queue) on the test database,
    for tests that race many clients against one limit."""
    thread = _WideLiveServer("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()

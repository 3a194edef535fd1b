"""Fixtures of the API tests."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.app.sse import Stream


@pytest.fixture(params=["memory", "redis"])
def client(request):
    """The API with sessions in memory, then in a real Redis (tests/conftest.py)."""
    if request.param == "memory":
        return TestClient(create_app())
    url = request.getfixturevalue("redis_url")
    return TestClient(create_app(Settings(redis_url=url)))


@pytest.fixture
def streams():
    """Event streams a test opens (append them): closed at its end."""
    opened: list[Stream] = []
    yield opened
    for s in opened:
        s.close()

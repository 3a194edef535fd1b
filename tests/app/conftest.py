"""Fixtures shared by the API tests."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings


@pytest.fixture(params=["memory", "redis"])
def client(request):
    """The API with sessions in memory, then in a real Redis (tests/conftest.py)."""
    if request.param == "memory":
        return TestClient(create_app())
    url = request.getfixturevalue("redis_url")
    return TestClient(create_app(Settings(redis_url=url)))

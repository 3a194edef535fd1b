"""Fixtures of the API tests."""

import pytest

from tests.app.sse import Stream


@pytest.fixture
def streams():
    """Event streams a test opens (append them): closed at its end."""
    opened: list[Stream] = []
    yield opened
    for s in opened:
        s.close()

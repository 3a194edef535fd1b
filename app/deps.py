"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .sessions import SessionStore
from .settings import Settings, get_settings


def get_store(request: Request) -> SessionStore:
    return request.app.state.store


Store = Annotated[SessionStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

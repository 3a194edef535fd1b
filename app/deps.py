"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nncore.limits import Limits

from .sessions import SessionStore
from .settings import Settings
from .work import Work


def get_store(request: Request) -> SessionStore:
    return request.app.state.store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_limits(request: Request) -> Limits:
    return request.app.state.limits


def get_work(request: Request) -> Work:
    return request.app.state.work


def get_client(request: Request) -> str:
    """The client's address: quotas are kept per address."""
    return request.client.host if request.client else ""


Store = Annotated[SessionStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
LimitsDep = Annotated[Limits, Depends(get_limits)]
WorkDep = Annotated[Work, Depends(get_work)]
Client = Annotated[str, Depends(get_client)]

"""Settings from environment variables (prefix BACKPROP_): the one place that knows the limits."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_")

    host: str = "127.0.0.1"
    port: int = 8000
    session_ttl_seconds: float = 3600.0
    max_sessions: int = 500
    max_samples: int = 2000
    max_steps: int = 1000
    max_updates: int = 20000  # mini-batch updates one step request may run ("epoch" units)
    max_grid: int = 200
    max_neuron_resolution: int = 64

    # Security headers and the Host check (app/middleware.py).
    # Host names and addresses the server answers to, besides 127.0.0.1, localhost, [::1] and
    # those of the address it binds (comma-separated in the environment; "*" turns the check
    # off). Behind a proxy or a container's published port, name what the browsers type.
    allowed_hosts: Annotated[list[str], NoDecode] = []
    # Who may show the page in a frame (CSP frame-ancestors), e.g. "'self' https://course.example".
    frame_ancestors: str = "'self'"

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()

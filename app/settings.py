"""Settings from environment variables (prefix BACKPROP_): the one place that knows the limits."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


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


@lru_cache
def get_settings() -> Settings:
    return Settings()

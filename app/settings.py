"""Settings from environment variables (prefix BACKPROP_): how this deployment serves.

The bounds of a request are the core's table (nncore/limits.py); every `max_*` entry of it may
be tightened here (BACKPROP_MAX_STEPS=7), never widened, and `Settings.limits` is the result
that the schemas, the routes and /api/options all read.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, create_model, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nncore.limits import LIMITS, Limits


class _Service(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKPROP_")

    host: str = "127.0.0.1"
    port: int = 8000
    session_ttl_seconds: float = Field(3600.0, gt=0)
    # Sessions held at once. One holds at most about 12 MB (bench/bench_abuse.py), so the
    # default stays under 4 GB: a classroom laptop's share.
    max_sessions: int = Field(300, ge=1)
    # Per client address: live sessions, and creations per minute (a burst of as many). A
    # school behind one NAT address starts 200 students within a minute.
    sessions_per_client: int = Field(250, ge=1)
    creates_per_minute: float = Field(250.0, gt=0)
    # A session idle this long may be forgotten to make room when the server is full (the
    # page rebuilds a forgotten session from what it shows).
    evict_idle_seconds: float = Field(300.0, ge=0)
    # Requests estimated above light_seconds of work run in one of compute_slots slots (one per
    # core), waiting at most queue_wait_seconds; a busy session's lock is waited for at most
    # lock_wait_seconds. Both answer with Retry-After beyond that.
    compute_slots: int = Field(2, ge=1)
    light_seconds: float = Field(0.02, ge=0)
    queue_wait_seconds: float = Field(10.0, ge=0)
    lock_wait_seconds: float = Field(2.0, ge=0)

    # Sessions and classes in Redis (app/redis_store.py, app/redis_classes.py) instead of this
    # process's memory, e.g. redis://127.0.0.1:6379/0: needed by several workers
    # (`backprop-lab --workers N`). A
    # session's Redis lock expires after redis_lock_seconds, so a killed worker cannot hold it
    # for ever: longer than a request may take (queue_wait_seconds + its work).
    redis_url: str | None = None
    redis_lock_seconds: float = Field(30.0, gt=0)
    workers: int = Field(1, ge=1)  # worker processes (`backprop-lab --workers`)

    # Class mode (app/classes.py, app/hub.py). The address students join at, when the machine's
    # own is not what they reach (a proxy, a name): e.g. https://lab.school.example
    public_url: str | None = None
    class_idle_hours: float = Field(3.0, gt=0)  # no teacher action this long: the class ends
    class_cap: int = Field(50, ge=1)  # classes held at once
    # Followers of one class at once, and students answering one question; one address (a
    # school's NAT) may hold class_students_per_client of them.
    class_students: int = Field(300, ge=1)
    class_students_per_client: int = Field(250, ge=1)
    class_questions: int = Field(20, ge=1)  # questions a class keeps (older ones forgotten)
    # Per client address: joins (state reads and event streams) and answers a minute, a burst
    # of as many: 200 students behind one address join, reconnect and change their answers.
    class_joins_per_minute: float = Field(1000.0, gt=0)
    class_answers_per_minute: float = Field(1000.0, gt=0)
    class_frames_per_second: float = Field(10.0, gt=0, le=60)  # frames sent to students
    class_ping_seconds: float = Field(15.0, gt=0)  # a comment on an idle event stream

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

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
            raise ValueError(
                "public_url must be http(s)://host[:port][/path], e.g. http://10.0.0.5:8000"
            )
        return value.strip().rstrip("/")

    @property
    def limits(self) -> Limits:
        return LIMITS.tightened(**{name: getattr(self, name) for name in TIGHTENABLE})


TIGHTENABLE = Limits.tightenable()

Settings = create_model(
    "Settings",
    __base__=_Service,
    **{
        name: (type(getattr(LIMITS, name)) | None, Field(None, description="tightens the core's"))
        for name in TIGHTENABLE
    },
)


@lru_cache
def get_settings() -> _Service:
    return Settings()

"""A class's event stream read over real HTTP (httpx streaming) in a thread."""

import json
import queue
import threading
import time

import httpx

JSON = {"content-type": "application/json"}


class Stream:
    """An event stream read in a thread: parsed events in a queue, every byte kept."""

    def __init__(self, url: str, last_id: int | None = None, headers: dict | None = None):
        self.events: queue.Queue = queue.Queue()
        self.raw = bytearray()
        self.pings = 0
        h = {**(headers or {}), **({"last-event-id": str(last_id)} if last_id else {})}
        self._client = httpx.Client(timeout=httpx.Timeout(30.0))
        self._cm = self._client.stream("GET", url, headers=h)
        self.response = self._cm.__enter__()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        buffer = b""
        try:
            for chunk in self.response.iter_raw():
                self.raw += chunk
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._parse(block.decode())
        except (httpx.HTTPError, OSError, RuntimeError):
            pass
        self.events.put(None)  # closed

    def _parse(self, block: str) -> None:
        event = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                self.pings += 1
            name, _, value = line.partition(": ")
            if name in ("id", "event", "data"):
                event[name] = value
        if "event" in event:
            event["id"] = int(event["id"])
            event["data"] = json.loads(event["data"])
            self.events.put(event)

    def next(self, kind: str | None = None, timeout: float = 15.0) -> dict | None:
        """The next event (of this kind, skipping others); None when the stream closed."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event is None or kind is None or event["event"] == kind:
                return event

    def close(self) -> None:
        self.response.close()
        self._client.close()
        self._thread.join(timeout=10)


def post(url: str, body=None, headers=None) -> httpx.Response:
    """A JSON POST (an empty body without one)."""
    return httpx.post(url, json=body, headers={**JSON, **(headers or {})}, timeout=30)

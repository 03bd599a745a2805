"""How long a call takes to reach a waiting-room screen, measured the way a TV sees it: a real
HTTP client on the screen's SSE feed (`GET /api/v1/flow/displays/feed`). For bench/flow.py
("the delay from a call to the display showing it", target < 1 s) and the tests.

    with FeedListener(base_url, token) as screen:
        seconds = call_delay(screen, lambda: call_next(point), point=point_id)

Standard library only (http.client), so the bench needs nothing more.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Callable

FEED = "/api/v1/flow/displays/feed"


class FeedListener:
    """Reads one screen's feed in a thread; every event is kept with the monotonic time it
    arrived."""

    def __init__(self, base_url: str, token: str, last_event_id: int | None = None,
                 connect_timeout: float = 5.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        connection = (http.client.HTTPSConnection if parts.scheme == "https"
                      else http.client.HTTPConnection)
        self._conn = connection(parts.hostname, parts.port, timeout=connect_timeout)
        headers = {"X-Display-Token": token, "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self._conn.connect()
        self._sock = self._conn.sock      # the response takes it over (no Content-Length)
        self._conn.request("GET", FEED, headers=headers)
        self._response = self._conn.getresponse()
        if self._response.status != 200:
            body = self._response.read().decode("utf-8", "replace")
            self._conn.close()
            raise ConnectionError(f"feed answered {self._response.status}: {body}")
        self._sock.settimeout(None)
        self.events: list[tuple[float, str, int | None, dict]] = []  # (at, kind, id, data)
        self._changed = threading.Condition()
        self.closed = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        kind, event_id, data = "message", None, []
        try:
            for raw in self._response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        with self._changed:
                            self.events.append((time.monotonic(), kind, event_id,
                                                json.loads("\n".join(data))))
                            self._changed.notify_all()
                    kind, event_id, data = "message", None, []
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError, http.client.HTTPException):
            pass
        finally:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def wait_for(self, match: Callable[[str, dict], bool], since: float,
                 timeout: float = 5.0) -> float:
        """The arrival time of the first event at or after `since` (monotonic) that `match(kind,
        data)` accepts; TimeoutError when none comes within `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for at, kind, _, data in self.events:
                    if at >= since and match(kind, data):
                        return at
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise TimeoutError("the screen did not show the call")
                self._changed.wait(left)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(2)
        self._conn.close()
        self._thread.join(2)

    def __enter__(self) -> FeedListener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def call_delay(screen: FeedListener, make_call: Callable[[], dict], *, point: str,
               timeout: float = 5.0) -> float:
    """Seconds from the start of `make_call()` (which calls a ticket at service point `point`
    and returns it as the Entry JSON, or any dict with its `ticket`) to the screen receiving
    that call."""
    start = time.monotonic()
    ticket = make_call()["ticket"]
    arrived = screen.wait_for(lambda kind, data: kind == "call" and data["ticket"] == ticket
                              and data["service_point"] == point, since=start, timeout=timeout)
    return arrived - start

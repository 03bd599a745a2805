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
    """Reads one screen's feed in a thread, as the TV does: when a stream ends (its lifetime,
    a new day) it reconnects at once with Last-Event-ID, so a bench longer than
    FLOW_DISPLAY_STREAM_SECONDS misses nothing. Every event is kept with the monotonic time it
    arrived; `reconnects` counts the streams after the first."""

    def __init__(self, base_url: str, token: str, last_event_id: int | None = None,
                 connect_timeout: float = 5.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self._connection = (http.client.HTTPSConnection if parts.scheme == "https"
                            else http.client.HTTPConnection)
        self._host, self._port, self._timeout = parts.hostname, parts.port, connect_timeout
        self._token = token
        self.last_id = last_event_id
        self.events: list[tuple[float, str, int | None, dict]] = []  # (at, kind, id, data)
        self.reconnects = 0
        self._changed = threading.Condition()
        self._stopping = False
        self.closed = False
        self._sock = None
        self._response = self._open()      # the first answer's refusal is the caller's error
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _open(self) -> http.client.HTTPResponse:
        conn = self._connection(self._host, self._port, timeout=self._timeout)
        headers = {"X-Display-Token": self._token, "Accept": "text/event-stream"}
        if self.last_id is not None:
            headers["Last-Event-ID"] = str(self.last_id)
        conn.connect()
        self._sock = conn.sock             # the response takes it over (no Content-Length)
        conn.request("GET", FEED, headers=headers)
        response = conn.getresponse()
        if response.status != 200:
            body = response.read().decode("utf-8", "replace")
            conn.close()
            raise ConnectionError(f"feed answered {response.status}: {body}")  # " 404:" = gone
        self._sock.settimeout(None)
        return response

    def _run(self) -> None:
        try:
            while not self._stopping:
                if self._read(self._response) == "removed" or self._stopping:
                    return
                self._response = self._reopen()
                if self._response is None:
                    return
                self.reconnects += 1
        finally:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def _reopen(self) -> http.client.HTTPResponse | None:
        """The next stream, retried as the TV does (a busy process answers 503, a restarting
        server refuses connections) until it opens, the screen is gone (404) or we stop."""
        wait = 0.1
        while not self._stopping:
            try:
                return self._open()
            except ConnectionError as exc:
                if " 404:" in str(exc):
                    return None
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(wait)
            wait = min(wait * 2, 2.0)
        return None

    def _read(self, response: http.client.HTTPResponse) -> str | None:
        """Events until the stream ends; "removed" when the screen was revoked."""
        kind, event_id, data = "message", None, []
        try:
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        with self._changed:
                            self.events.append((time.monotonic(), kind, event_id,
                                                json.loads("\n".join(data))))
                            if event_id is not None:
                                self.last_id = max(self.last_id or 0, event_id)
                            self._changed.notify_all()
                        if kind == "removed":
                            return "removed"
                    kind, event_id, data = "message", None, []
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError, http.client.HTTPException):
            pass
        return None

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
                if self.closed:
                    raise TimeoutError("the screen's feed closed before it showed the call")
                if left <= 0:
                    raise TimeoutError(f"the screen did not show the call in {timeout} s")
                self._changed.wait(left)

    def close(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(2)
        with contextlib.suppress(OSError):
            self._sock.close()
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

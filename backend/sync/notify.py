"""Wake longpoll `_changes` requests when the update sequence moves.

A write in this process notifies a condition variable, so a waiting request in the same
process answers at once. Writes in other gunicorn workers (or the CLI) are seen by polling
the one-row `sync_meta` table every LONGPOLL_POLL_MS: an O(1) primary-key read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_changed = threading.Condition()


def changed() -> None:
    """Call after a write transaction committed."""
    with _changed:
        _changed.notify_all()


def wait_beyond(seq: int, read_seq: Callable[[], int], until: float, poll_s: float) -> int:
    """Block until the update sequence exceeds `seq` or the monotonic clock reaches `until`;
    returns the last update sequence read."""
    current = read_seq()
    while current <= seq:
        remaining = until - time.monotonic()
        if remaining <= 0:
            break
        with _changed:
            _changed.wait(min(poll_s, remaining))
        current = read_seq()
    return current

"""The one error the flow's domain functions raise; the API turns it into an RFC 7807 problem."""

from __future__ import annotations


class FlowError(Exception):
    """A flow request that cannot be honoured, with the HTTP status it answers and a message in
    Bahasa Indonesia for the desk (e.g. 409 "Antrean kosong", 404 unknown service point)."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code  # stable, for the PWA and tests: "queue_empty", "entry_ended", ...

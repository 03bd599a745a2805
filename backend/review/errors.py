"""Why a review action cannot be done: one exception for them all (nothing was changed).

`status` is the HTTP status the API answers (404 unknown or outside the area, 409 a state that
forbids it, 422 a request that cannot be meant); `message` is Indonesian, shown as it stands;
`ids` names the records at fault, when there are some.
"""

from __future__ import annotations


class Refused(Exception):
    def __init__(self, status: int, message: str, ids: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.ids = status, message, ids or []

"""Writes from /sync: one transaction per request, then wake longpolls and merge conflicts.

The resolver runs after the batch committed, in transactions of its own: a replicated batch
is stored exactly as sent (all or nothing), and the merge is an ordinary later revision that
flows back to every device by replication.
"""

from __future__ import annotations

from flask import current_app

from backend.sync import conflicts
from backend.sync.http.blueprint import sync_access
from backend.sync.prepare import DocError, prepare
from backend.writes import save_docs

# HTTP status of a single-document write refused with this CouchDB error name.
RESULT_STATUS = {"conflict": 409, "forbidden": 403, "not_found": 404, "missing_stub": 412}


def write(docs: list, new_edits: bool) -> list[dict]:
    results = save_docs(docs, sync_access().user, new_edits)
    if not new_edits and current_app.config["RESOLVE_CONFLICTS_ON_WRITE"]:
        conflicts.resolve_pending([r["id"] for r in results if r.get("ok")])
    return results


def write_one(doc: object, new_edits: bool) -> dict:
    """One document as PUT/POST/DELETE write it: refusals become the HTTP status itself."""
    try:
        # Checked before the transaction so an oversized attachment answers 413, not 403.
        prepare(doc, new_edits, current_app.config["MAX_ATTACHMENT_BYTES"])
    except DocError as exc:
        raise _as_http(exc) from None
    [result] = write([doc], new_edits)
    if "error" in result:
        raise _as_http(DocError(result["error"], result["reason"]))
    return result


def _as_http(exc: DocError) -> DocError:
    if exc.status == 413:
        return DocError("attachment_too_large", exc.reason, 413)  # CouchDB's name for it
    if exc.status != 400:
        return exc
    return DocError(exc.error, exc.reason, RESULT_STATUS.get(exc.error, 400))

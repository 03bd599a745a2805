"""`_conflicts`: open conflicts and archived losing revisions, for admins and the kapus."""

from __future__ import annotations

from backend.db import read_transaction
from backend.sync import conflicts
from backend.sync.http.blueprint import bp, json_response, sync_access
from backend.sync.http.params import integer
from backend.sync.prepare import DocError

REVIEWERS = frozenset({"admin", "kapus"})


@bp.get("/<db>/_conflicts")
def list_conflicts(db: str):
    access = sync_access()
    if access.user.role not in REVIEWERS:
        raise DocError("forbidden", "Only admins and the kepala Puskesmas review conflicts.", 403)
    limit = min(integer("limit", 100, minimum=1), 1000)
    with read_transaction() as conn:
        return json_response(conflicts.listing(conn, access.scopes, limit))

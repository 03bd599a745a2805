"""Who may write which document: role, area scope, and a desa that exists.

A document is refused when the writer's role may not write its type, when its desa (or the
desa it is moving out of) lies outside the writer's scope, or when its desa is not a known
Kemendagri code of this Puskesmas. System writes (CLI, demo seed) pass `user=None`: they skip
role and scope but not the desa check.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.auth.users import User, known_desa
from backend.sync.prepare import REFERENCE_SCOPE, Incoming
from backend.sync.store import Refusal, WritePolicy


class ScopedPolicy(WritePolicy):
    def __init__(self, user: User | None):
        self.user = user
        self.writer = user.username if user else None
        self._desa: set[str] | None = None

    def sees(self, scope: str) -> bool:
        return self.user is None or scope == REFERENCE_SCOPE or self.user.sees(scope)

    def _known(self, conn: sa.Connection) -> set[str]:
        if self._desa is None:
            self._desa = known_desa(conn)
        return self._desa

    def refuse(self, conn: sa.Connection, incoming: Incoming,
               old_scope: str | None) -> Refusal | None:
        refusal = self._refuse_for_user(incoming, old_scope) if self.user else None
        if refusal:
            return refusal
        if incoming.type == "place" and incoming.body.get("kind") == "desa":
            self._known(conn).add(incoming.body.get("code"))
        scope = incoming.scope
        if not incoming.deleted and scope != REFERENCE_SCOPE and scope not in self._known(conn):
            return Refusal("unknown_desa", f"desa {scope!r} is not a desa of this Puskesmas")
        return None

    def _refuse_for_user(self, incoming: Incoming, old_scope: str | None) -> Refusal | None:
        user = self.user
        if not user.may_write(incoming.type):
            return Refusal("role", f"role '{user.role}' may not write '{incoming.type}' documents")
        if incoming.type in {"place", "ilp_config"}:
            return None  # reference documents: the role check above is the whole rule
        if old_scope not in (None, REFERENCE_SCOPE) and old_scope not in user.scopes:
            return Refusal("area", f"document belongs to desa {old_scope}, outside your area")
        if not incoming.deleted and incoming.scope not in user.scopes:
            return Refusal("area", f"desa {incoming.scope!r} is outside your area")
        return None

"""Who may write what: role, area scope, a desa that exists, and references that hold.

A document is refused when the writer's role may not write its type, when its desa (or the
desa it is moving out of) lies outside the writer's scope, when its desa is not a known
Kemendagri code of this Puskesmas, or when a reference it introduces breaks its rule
(sync/references.py). System writes (CLI, demo seed, conflict merges, upstream pulls) pass
`user=None`: they skip role and scope but not the desa and reference checks — the documents
they write reach devices like any other, and a dangling link breaks a tablet as surely.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import sqlalchemy as sa

from backend.auth.users import User, known_desa
from backend.documents.types import REFERENCE_TYPES, Reference
from backend.sync import references
from backend.sync.prepare import REFERENCE_SCOPE, Incoming
from backend.sync.write_policy import Refusal, WritePolicy


class ScopedPolicy(WritePolicy):
    def __init__(self, user: User | None):
        self.user = user
        self.writer = user.username if user else None
        self._desa: set[str] | None = None
        self._introduced: dict[int, list[tuple[Reference, str]]] = {}  # by id(incoming)
        self._stored: dict[str, references.Target] = {}
        self._written: dict[str, Incoming] = {}   # this batch's documents stored so far

    def sees(self, scope: str) -> bool:
        return self.user is None or scope == REFERENCE_SCOPE or self.user.sees(scope)

    def _known(self, conn: sa.Connection) -> set[str]:
        if self._desa is None:
            self._desa = known_desa(conn)
        return self._desa

    def begin(self, conn: sa.Connection, batch: list[Incoming],
              stored_body: Callable[[str], dict | None]) -> None:
        """Find the references each document introduces; load their targets in one query."""
        self._introduced = {
            id(incoming): references.introduced(incoming.type, incoming.body,
                                                stored_body(incoming.id))
            for incoming in batch if not incoming.deleted}
        self._stored = references.load(
            conn, {target for refs in self._introduced.values() for _, target in refs})
        self._written = {}

    def needs(self, incoming: Incoming) -> Collection[str]:
        return [target for _, target in self._introduced.get(id(incoming), ())]

    def written(self, incoming: Incoming) -> None:
        self._written[incoming.id] = incoming

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
        return self._broken_reference(incoming)

    def _broken_reference(self, incoming: Incoming) -> Refusal | None:
        for ref, target_id in self._introduced.get(id(incoming), ()):
            # A target written earlier in this batch is its newest state.
            written = self._written.get(target_id)
            target = (references.of_document(written.type, written.body, written.deleted)
                      if written else self._stored.get(target_id))
            broken = references.broken(ref, target_id, target, incoming.body)
            if broken:
                return Refusal(broken.code, broken.reason)
        return None

    def _refuse_for_user(self, incoming: Incoming, old_scope: str | None) -> Refusal | None:
        user = self.user
        if not user.may_write(incoming.type):
            return Refusal("role", f"role '{user.role}' may not write '{incoming.type}' documents")
        if incoming.type in REFERENCE_TYPES:
            return None  # reference documents: the role check above is the whole rule
        if old_scope not in (None, REFERENCE_SCOPE) and old_scope not in user.scopes:
            return Refusal("area", f"document belongs to desa {old_scope}, outside your area")
        if not incoming.deleted and incoming.scope not in user.scopes:
            return Refusal("area", f"desa {incoming.scope!r} is outside your area")
        return None

"""What the store asks a write policy, batch by batch; the policy the app runs is sync/policy.py."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import sqlalchemy as sa

from backend.sync.prepare import Incoming


@dataclass(frozen=True)
class Refusal:
    """Why a policy refuses a document: a code of prepare.REFUSAL_CODES and a readable reason."""

    code: str
    reason: str


class WritePolicy:
    """Who may write what. The default allows everything (system writes); see sync/policy.py.

    Per batch the store calls `begin` once with every checked document, applies each
    document after the batch's documents it `needs`, asks `refuse` just before applying it
    and reports it `written` once its revision is stored."""

    writer: str | None = None  # archived beside a refused revision (None: the system)

    def sees(self, scope: str) -> bool:
        """Whether the writer reads documents of `scope`: only then does a refusal converge."""
        return True

    def begin(self, conn: sa.Connection, batch: list[Incoming],
              stored_body: Callable[[str], dict | None]) -> None:
        """`stored_body(id)`: the stored winner's body of a document of the batch, or None."""

    def needs(self, incoming: Incoming) -> Collection[str]:
        """Ids of documents that, if they are in the batch, must be applied before this one."""
        return ()

    def refuse(self, conn: sa.Connection, incoming: Incoming,
               old_scope: str | None) -> Refusal | None:
        return None

    def written(self, incoming: Incoming) -> None:
        """The document's revision was stored."""

"""Possible duplicate persons (docs/review.md, "Duplicates").

CONTRACT (session 7): the helper building duplicate detection fills these in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa


def refresh(conn: sa.Connection, person_ids: Sequence[str]) -> None:
    """Replace the `duplicate_pairs` rows involving `person_ids` by the pairs found now."""


def refresh_all(conn: sa.Connection) -> None:
    """Rebuild every pair (after `rebuild_projections`)."""

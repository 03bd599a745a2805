"""The data-quality flags of each person's records (docs/review.md, "Rules").

CONTRACT (session 7): the helper building the rules fills these in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa


def refresh(conn: sa.Connection, person_ids: Sequence[str], records: dict) -> None:
    """Replace the `quality_flags` rows of `person_ids` by what the rules find now."""


def refresh_all(conn: sa.Connection) -> None:
    """Rebuild every person's flags (after `rebuild_projections`)."""

"""Names of places as the read model holds them, for screens and reports that name a desa."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from backend.projections.tables import places


def desa_names(conn: sa.Connection, desa: Sequence[str]) -> list[dict]:
    """[{code, name}] of the desa, in code order; a code without a place row shows as itself."""
    query = sa.select(places.c.code, places.c.name).where(
        places.c.kind == "desa", places.c.code.in_(list(desa)))
    names = {code: name for code, name in conn.execute(query)}
    return [{"code": code, "name": names.get(code, code)} for code in sorted(desa)]

"""Keep the review projections (`quality_flags`, `duplicate_pairs`) in step with the records.

Like the PWS facts (backend/pws/refresh.py), both are maintained per person in the write's
transaction (`backend.writes.write_docs`, `write_derived`); `flask reproject` rebuilds
everyone's (`refresh_all`). They differ in what changes them:

* flags rest on a person's whole record: every person whose person, encounter or pregnancy
  document the write changed is flagged again;
* a duplicate pair rests on the two persons' identities only (name, birth date, sex, NIK,
  mother, desa, and the household's no. KK): only the persons whose own document landed, and
  the members of a household whose document landed, are compared again. A push of visits
  costs no duplicate search.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from backend.projections.tables import persons
from backend.review import duplicates, flags

CHUNK = 500


def identities(conn: sa.Connection, changes: Iterable[tuple[str, dict | None]]) -> set[str]:
    """The persons whose identity a batch's new winners may change: each person document, and
    the members of each household document (read after projection)."""
    out: set[str] = set()
    households: list[str] = []
    for doc_id, _ in changes:
        doc_type = doc_id.split(":", 1)[0]
        if doc_type == "person":
            out.add(doc_id)
        elif doc_type == "household":
            households.append(doc_id)
    for start in range(0, len(households), CHUNK):
        chunk = households[start:start + CHUNK]
        out.update(conn.execute(sa.select(persons.c.id)
                                .where(persons.c.household_id.in_(chunk))).scalars())
    return out


def refresh_persons(conn: sa.Connection, person_ids: Iterable[str], records: dict,
                    identity_ids: Iterable[str] = ()) -> None:
    """Flag `person_ids` again and look for the duplicates of `identity_ids` again.
    `records`: the bodies the write already read (backend/pws/refresh.py `Records`)."""
    ids = sorted(set(person_ids))
    if ids:
        flags.refresh(conn, ids, records)
    identity = sorted(set(identity_ids))
    if identity:
        duplicates.refresh(conn, identity)


def refresh_all(conn: sa.Connection) -> None:
    flags.refresh_all(conn)
    duplicates.refresh_all(conn)

"""A record as documents: what a person's or household's page shows, in one request.

Puskesmas desks (docs/pwa.md "Desk mode") do not replicate the kecamatan; they fetch a
record when its page opens. One request answers the documents the page needs — for a
person: the person, the household and its members, the person's pregnancies, encounters
and tasks; for a household: the household and its members — each with its revision
history (`_revisions`), so the device can store one locally and edit it through the one
write path (PouchDB, push replication) like a tablet would.

Every document is checked on its own against the caller's area: a child that points at a
visible person but lies in another desa (e.g. after the person moved) is left out, as
`/sync` would leave it out.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend.api.base import require
from backend.audit import record_request
from backend.auth.users import User
from backend.db import read_transaction
from backend.projections.tables import encounters, persons, pregnancies, tasks
from backend.sync import reads

blp = Blueprint("records", __name__, url_prefix="/records",
                description="Records as documents (desk mode)")

# Children of a person: [projection table, its person column].
PERSON_CHILDREN = {"pregnancies": (pregnancies, pregnancies.c.person_id),
                   "encounters": (encounters, encounters.c.person_id),
                   "tasks": (tasks, tasks.c.person_id)}
RECORD_TYPES = ("person", "household")


def _documents(conn: sa.Connection, ids: list[str], user: User) -> dict[str, dict]:
    """Winning revisions with `_revisions`, only those in the caller's area, by id."""
    found = {}
    opts = reads.ReadOptions(revs=True)
    for doc_id, row in reads.load_docs(conn, ids).items():
        if row.deleted or not user.sees(row.scope):
            continue
        found[doc_id] = json.loads(reads.get_doc_json(conn, row, None, opts))
    return found


def _ids(conn: sa.Connection, table: sa.Table, column: sa.Column, value: str) -> list[str]:
    return list(conn.execute(sa.select(table.c.id).where(column == value)).scalars())


def person_record(conn: sa.Connection, person: dict, user: User) -> dict:
    household_id = person.get("household")
    member_ids = _ids(conn, persons, persons.c.household_id, household_id) if household_id else []
    wanted = {"members": member_ids, "household": [household_id] if household_id else []}
    for name, (table, column) in PERSON_CHILDREN.items():
        wanted[name] = _ids(conn, table, column, person["_id"])
    docs = _documents(conn, [i for ids in wanted.values() for i in ids], user)
    record = {name: [docs[i] for i in ids if i in docs] for name, ids in wanted.items()}
    record["household"] = record["household"][0] if record["household"] else None
    return {"person": person, **record}


def household_record(conn: sa.Connection, household: dict, user: User) -> dict:
    member_ids = _ids(conn, persons, persons.c.household_id, household["_id"])
    docs = _documents(conn, member_ids, user)
    return {"household": household, "members": [docs[i] for i in member_ids if i in docs]}


@blp.route("/<doc_id>")
class Record(MethodView):
    @blp.response(200)
    def get(self, doc_id):
        """A person's or household's record as documents with their revision histories."""
        user = require(records=True)
        doc_type = doc_id.split(":", 1)[0]
        if doc_type not in RECORD_TYPES:
            abort(404, message="Not found.")
        with read_transaction() as conn:
            doc = _documents(conn, [doc_id], user).get(doc_id)
            if doc is None or doc.get("type") != doc_type:
                abort(404, message="Not found.")
            build = person_record if doc_type == "person" else household_record
            record = build(conn, doc, user)
        if doc_type == "person":
            record_request(user, "record.open", "person", doc_id, desa=doc.get("desa"),
                           detail={"via": "records"})
        return record

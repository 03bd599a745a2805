"""Follow-up of a PWS gap: one `task` document per person for the desa's Pustu (docs/pws.md,
"Drill-down and follow-up"; ARCHITECTURE §11).

The kapus or a klaster looks at the persons behind a desa's gap (backend/pws/drilldown.py) and
sends them to the Pustu. Each becomes an open task written through the one write path
(`backend.writes.write_docs`, as the caller), so it replicates to that desa's tablets like any
task and closes there with an outcome. Why this shape:

* the id is a UUIDv5 of person, indicator and month: sending the same gap twice, from two
  browsers at once or after a retry, names the same document, and the store keeps one;
* a person who already has an open PWS task of the same indicator, from any month, is not
  given a second one (`already_open`): gaps of consecutive months overlap (the K4 gap of
  October is mostly September's), and the bidan has one thing to do, not one per month;
* a task of this very month that someone already closed or cancelled stays so (`closed`):
  resending the list never reopens what the Pustu answered;
* the reason is the indicator's `gap_reason` from config/ilp/pws.json plus what is missing
  for that person (in words, never a code); the due date is today (the Puskesmas's clock)
  plus pws.json `followup.due_days`;
* `source` = `pws:<indicator>:<yyyy-mm>`: the PWA shows it as "Dari PWS" and progress counts
  tasks by it. The indicator's cluster is not written to the task's `cluster` field: on a
  task that field means "referred to this Puskesmas cluster" (backend/api/tasks/routes.py,
  the tablet shows "Dirujuk ke"), and these tasks stay with the Pustu. The cluster is the
  indicator's, found from the source key.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from backend import audit, clock
from backend.auth.users import User
from backend.followup.inputs import places_of, stored_ids
from backend.followup.tasks import OPEN
from backend.projections.tables import tasks
from backend.pws.catalogue import Catalogue, Indicator
from backend.pws.months import Month
from backend.sync.tables import sync_meta
from backend.writes import write_docs

# Fixed forever: changing it would name every PWS task anew and break idempotency.
NAMESPACE = uuid.UUID("0d7a5b7e-3c1f-5e0b-9a6f-7c2d41e8b3a2")
SOURCE_PREFIX = "pws:"
REASON_MAX = 300          # TaskSchema.reason


def task_id(person_id: str, indicator_id: str, month: Month) -> str:
    """The one task a person gets for one indicator's gap of one month."""
    return f"task:{uuid.uuid5(NAMESPACE, f'pws|{person_id}|{indicator_id}|{month}')}"


def source_key(indicator_id: str, month: Month) -> str:
    return f"{SOURCE_PREFIX}{indicator_id}:{month}"


def parse_source(source: str | None) -> tuple[str, str] | None:
    """(indicator id, "YYYY-MM") of a PWS task's source; None for any other task."""
    if not source or not source.startswith(SOURCE_PREFIX):
        return None
    parts = source[len(SOURCE_PREFIX):].split(":")
    return (parts[0], parts[1]) if len(parts) == 2 else None


def reason(indicator: Indicator, missing: str | None) -> str:
    """The task's reason: the indicator's gap reason, then what is missing for this person
    with whatever the gap reason already says left out, cut to the schema's 300 characters.

    The bidan reads it on a small screen; a phrase said twice ("Balita belum ditimbang bulan
    ini: Belum ditimbang bulan ini, terakhir …") is noise. So the missing words lose a leading
    clause the gap reason already holds ("Belum ditimbang bulan ini", "Pendek" under "Balita
    pendek (stunting)", "Tidak naik (T)" under "…tidak naik") and a leading run of two or more
    of its words ("Tidak naik 2 kali …" → "2 kali …"); a single shared word is kept, since
    dropping "Belum" from "Belum pernah ditimbang" would say the opposite. What remains goes
    in parentheses: "Balita belum ditimbang bulan ini (terakhir ditimbang 29 Okt 2026)", or
    after a dash when the gap reason or the rest has parentheses of its own."""
    head = indicator.gap_reason
    detail = news(head, missing or "")
    if not detail:
        text = head
    elif head.endswith(")") or "(" in detail:
        text = f"{head} — {detail}"
    else:
        text = f"{head} ({detail})"
    return text if len(text) <= REASON_MAX else text[:REASON_MAX - 1] + "…"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _holds(words: list[str], run: list[str]) -> bool:
    """`run` occurs in `words` as consecutive words."""
    return any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1))


def news(said: str, missing: str) -> str:
    """`missing` without what `said` already says (see `reason`), its first letter lower case
    unless it starts an abbreviation ("ANC" stays): it follows the reason mid-sentence."""
    known = _words(said)
    rest = missing.strip()
    while rest:
        clause, comma, tail = rest.partition(", ")
        bare = _words(re.sub(r"\([^)]*\)", " ", clause))   # a bracketed code adds nothing
        if not bare or _holds(known, bare):
            rest = tail      # the clause says nothing the reason does not
            continue
        tokens = clause.split()
        for k in range(len(tokens) - 1, 0, -1):
            run = _words(" ".join(tokens[:k]))
            if len(run) >= 2 and _holds(known, run):
                clause = " ".join(tokens[k:])
                break
        rest = f"{clause}{comma}{tail}"
        break
    if len(rest) > 1 and rest[1].islower():
        rest = rest[0].lower() + rest[1:]
    return rest


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)        # task ids written now
    already_open: list[str] = field(default_factory=list)   # person ids with an open task
    closed: list[str] = field(default_factory=list)         # person ids: this month's task
    task_ids: list[str] = field(default_factory=list)       # the task of every person asked


def pustu_of(conn: sa.Connection, desa: str) -> str | None:
    """The desa's Pustu (the first by id when it has several), else the Puskesmas: the choice
    derived follow-up makes (backend/followup/inputs.py `places_of`)."""
    pustu, puskesmas = places_of(conn, [desa])
    return pustu.get(desa) or puskesmas


def open_tasks(conn: sa.Connection, person_ids: Sequence[str], indicator_id: str
               ) -> dict[str, str]:
    """person id -> id of an open or in-progress PWS task of this indicator, any month."""
    if not person_ids:
        return {}
    rows = conn.execute(sa.select(tasks.c.person_id, tasks.c.id).where(
        tasks.c.person_id.in_(list(person_ids)), tasks.c.status.in_(OPEN),
        tasks.c.source.like(f"{SOURCE_PREFIX}{indicator_id}:%")).order_by(tasks.c.id))
    found: dict[str, str] = {}
    for row in rows:
        found.setdefault(row.person_id, row.id)
    return found


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")


def create(conn: sa.Connection, user: User, indicator: Indicator, catalogue: Catalogue,
           desa: str, month: Month, gap: dict[str, str | None]) -> Outcome:
    """Write the tasks for `gap` (person id -> what is missing, in words) inside the caller's
    write transaction, audited as the caller's writes. The caller has checked scope and that
    every person is in the gap."""
    outcome = Outcome()
    # The store's own write lock (backend/sync/store.py), taken before reading: two requests
    # sending overlapping gaps at once (two browsers, a double click) run one after the
    # other, and the second sees the first's tasks as open. SQLite's BEGIN IMMEDIATE already
    # serializes writers; on PostgreSQL this row lock does.
    conn.execute(sa.select(sync_meta.c.id).where(sync_meta.c.id == 1).with_for_update())
    person_ids = sorted(gap)
    ids = {pid: task_id(pid, indicator.id, month) for pid in person_ids}
    already = open_tasks(conn, person_ids, indicator.id)
    stored = stored_ids(conn, list(ids.values()))   # live or deleted: never recreated
    due = (clock.today() + dt.timedelta(days=int(catalogue.followup["due_days"]))).isoformat()
    place, now, docs = pustu_of(conn, desa), _now(), []
    for pid in person_ids:
        if pid in already:
            outcome.already_open.append(pid)
            outcome.task_ids.append(already[pid])
            continue
        outcome.task_ids.append(ids[pid])
        if ids[pid] in stored:
            outcome.closed.append(pid)
            continue
        doc = {"_id": ids[pid], "type": "task", "schema": 1, "desa": desa,
               "created_at": now, "created_by": user.username, "person": pid,
               "reason": reason(indicator, gap[pid]), "due_date": due, "status": "open",
               "source": source_key(indicator.id, month)}
        if place:
            doc["assigned_place"] = place
        docs.append(doc)
    for doc, result in zip(docs, write_docs(conn, docs, user), strict=True):
        if result.get("error") == "conflict":
            # The id exists after all (written since the read above): the task is there.
            outcome.already_open.append(doc["person"])
            continue
        if result.get("error"):
            # The store refused one (a policy or reference check): refuse the whole action,
            # nothing of it is stored (the caller's transaction rolls back).
            raise FollowupRefused(doc["person"], result.get("reason") or result["error"])
        audit.record(conn, actor=user, action="document.write", target_type="task",
                     target_id=doc["_id"], desa=desa,
                     detail={"rev": result["rev"], "fields": sorted(
                         k for k in doc if not k.startswith("_")),
                             "via": doc["source"]})
        outcome.created.append(doc["_id"])
    return outcome


class FollowupRefused(Exception):
    def __init__(self, person_id: str, why: str):
        super().__init__(f"{person_id}: {why}")
        self.person_id, self.why = person_id, why


def progress(conn: sa.Connection, desa: Sequence[str], first: Month, last: Month
             ) -> list[dict]:
    """Per desa, the PWS tasks whose source month lies in first..last: how many were created,
    are still open (open or in progress), done, cancelled, and the outcome codes of those
    closed (`datang`, `tidak_datang`, …). Every desa asked for has a row, zeros included."""
    months = [str(first.shift(i)) for i in range(last.index - first.index + 1)]
    counts: dict[str, Counter] = defaultdict(Counter)
    outcomes: dict[str, Counter] = defaultdict(Counter)
    if desa and months:
        stmt = (sa.select(tasks.c.desa, tasks.c.source, tasks.c.status, tasks.c.outcome_code)
                .where(tasks.c.desa.in_(list(desa)), sa.or_(*(
                    tasks.c.source.like(f"{SOURCE_PREFIX}%:{month}") for month in months))))
        for row in conn.execute(stmt):
            parsed = parse_source(row.source)
            if parsed is None or parsed[1] not in months:
                continue
            counts[row.desa]["created"] += 1
            counts[row.desa]["open" if row.status in OPEN else row.status] += 1
            if row.outcome_code and row.status not in OPEN:
                outcomes[row.desa][row.outcome_code] += 1
    return [{"desa": code, "created": counts[code]["created"], "open": counts[code]["open"],
             "done": counts[code]["done"], "cancelled": counts[code]["cancelled"],
             "outcomes": dict(sorted(outcomes[code].items()))} for code in desa]

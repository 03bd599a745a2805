"""The outbox as the admin and the Kepala Puskesmas read it (docs/push.md "Staff
notifications"): how many messages are in each state, per rule, the oldest one still waiting,
and the recent failures.

Counts and rule codes only: no names, no household or user, no endpoint. An error a push
service answered may quote the endpoint URL, so only its host is kept. That is why the report
covers the whole Puskesmas for both roles: there is no record in it to scope.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from backend.push.tables import push_outbox

STATUSES = ("queued", "sent", "failed", "dropped", "expired")
FAILURES = 20
_URL = re.compile(r"(https?://[^/\s\"'<>]+)[^\s\"'<>]*")


def scrubbed(error: str | None) -> str | None:
    """`error` with every URL cut to its scheme and host (an endpoint's path is a secret)."""
    return _URL.sub(r"\1/…", error) if error else error


def _by_status(conn: sa.Connection) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in conn.execute(sa.select(push_outbox.c.status, sa.func.count())
                                      .group_by(push_outbox.c.status)):
        counts[status] = count
    return counts


def _by_rule(conn: sa.Connection) -> list[dict]:
    rules: dict[str, dict] = {}
    for rule, status, count in conn.execute(
            sa.select(push_outbox.c.rule, push_outbox.c.status, sa.func.count())
            .group_by(push_outbox.c.rule, push_outbox.c.status)):
        rules.setdefault(rule, {"rule": rule, **dict.fromkeys(STATUSES, 0)})[status] = count
    return [rules[rule] for rule in sorted(rules)]


def _oldest_queued(conn: sa.Connection) -> dict | None:
    row = conn.execute(sa.select(push_outbox.c.rule, push_outbox.c.created_at,
                                 push_outbox.c.not_before, push_outbox.c.attempts)
                       .where(push_outbox.c.status == "queued")
                       .order_by(push_outbox.c.created_at, push_outbox.c.id).limit(1)).first()
    return dict(row._mapping) if row else None


def _failures(conn: sa.Connection, limit: int) -> list[dict]:
    """The newest rows that did not go out, or are being retried after an error."""
    rows = conn.execute(sa.select(
        push_outbox.c.created_at, push_outbox.c.next_attempt_at, push_outbox.c.rule,
        push_outbox.c.status, push_outbox.c.attempts, push_outbox.c.last_error,
    ).where(sa.or_(push_outbox.c.status.in_(("failed", "dropped", "expired")),
                   sa.and_(push_outbox.c.status == "queued",
                           push_outbox.c.last_error.is_not(None))))
        .order_by(push_outbox.c.id.desc()).limit(limit))
    return [{**row._mapping, "last_error": scrubbed(row.last_error)} for row in rows]


def summary(conn: sa.Connection, failures: int = FAILURES) -> dict:
    return {"by_status": _by_status(conn), "by_rule": _by_rule(conn),
            "oldest_queued": _oldest_queued(conn), "failures": _failures(conn, failures)}

"""What one scheduler run reads, in a few batched queries for everyone (no query per person).

Recipients first: households with a live consent (a `subscription_consent` not revoked) and a
family subscription, and staff users with a device subscribed. Then, only for those
households, their members' records through the one reader of "a person's record"
(backend/followup/inputs.py `read_records`) and each member's due list from the clinical
evaluator, computed once and shared by every rule.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from backend.auth.tables import users
from backend.auth.users import USER_ROWS, User, user_from_row
from backend.clinical import ClinicalInputError, due_list
from backend.followup.inputs import read_records
from backend.projections.tables import households, persons, places, subscription_consents
from backend.push.tables import push_subscriptions

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    household_id: str


@dataclass
class Context:
    conn: sa.Connection
    config: dict
    now: dt.datetime               # aware
    zone: ZoneInfo
    window: tuple[str, str]        # PUSH_WINDOW_START, PUSH_WINDOW_END ("07:00", "20:00")
    only_household: str | None = None   # upcoming(): one household, consent or not
    # Households whose every due-list item may matter today (a Posyandu reminder may go out);
    # None: all of them. The others are evaluated with only the screening rules a due-item
    # rule follows (`lean_config`): the same evaluator and dates, less to compute.
    full_households: set[str] | None = None
    problems: list[str] = field(default_factory=list)
    # Staff digests this run re-checked: rule code -> digest days (its window was open), so a
    # queued digest of that day it no longer wants is dropped (docs/push.md, "Staff digests").
    digests: dict[str, set[str]] = field(default_factory=dict)
    # family subscription id -> the local day it was made (a catch-up goes only to those made
    # since the reminder's day: backend/reminders/due_items.py `catch_up`)
    subscribed_on: dict[str, dt.date] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.zone).date()

    # --- families -------------------------------------------------------------------------

    @cached_property
    def family_subscriptions(self) -> dict[str, list[str]]:
        """household id -> its family subscriptions' ids, for households with live consent."""
        if self.only_household:
            return {self.only_household: []}
        subs = self.conn.execute(sa.select(
            push_subscriptions.c.id, push_subscriptions.c.household_id,
            push_subscriptions.c.consent_id, push_subscriptions.c.created_at,
        ).where(push_subscriptions.c.kind == "family",
                push_subscriptions.c.household_id.is_not(None))).all()
        live: dict[str, set[str]] = defaultdict(set)
        for chunk in _chunks(sorted({s.household_id for s in subs})):
            for row in self.conn.execute(sa.select(
                    subscription_consents.c.id, subscription_consents.c.household_id).where(
                    subscription_consents.c.household_id.in_(chunk),
                    subscription_consents.c.revoked_at.is_(None))):
                live[row.household_id].add(row.id)
        out: dict[str, list[str]] = defaultdict(list)
        for sub in subs:
            consents = live.get(sub.household_id, set())
            # A subscription made under one consent ends with it; an older one (no consent
            # recorded on the row) follows any live consent of its household.
            if (sub.consent_id in consents) if sub.consent_id else consents:
                out[sub.household_id].append(sub.id)
                self.subscribed_on[sub.id] = self._local_day(sub.created_at)
        return dict(out)

    def _local_day(self, text: str) -> dt.date | None:
        try:
            moment = dt.datetime.fromisoformat(text)
        except (TypeError, ValueError):
            return None
        return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(
            self.zone).date()

    @cached_property
    def members(self) -> dict[str, list[Member]]:
        """household id -> its living, unmerged members."""
        out: dict[str, list[Member]] = defaultdict(list)
        for chunk in _chunks(sorted(self.family_subscriptions)):
            for row in self.conn.execute(sa.select(
                    persons.c.id, persons.c.name, persons.c.household_id).where(
                    persons.c.household_id.in_(chunk), persons.c.deceased_date.is_(None),
                    persons.c.merged_into_id.is_(None)).order_by(persons.c.birth_date,
                                                                  persons.c.id)):
                out[row.household_id].append(Member(row.id, row.name, row.household_id))
        return dict(out)

    @cached_property
    def due(self) -> dict[str, dict]:
        """person id -> their due list today (persons the evaluator cannot read are left out
        and named in `problems`)."""
        ids = [m.id for group in self.members.values() for m in group]
        full = {m.id for household, group in self.members.items() for m in group
                if self.full_households is None or household in self.full_households}
        lean = lean_config(self.config)
        bodies, history = read_records(self.conn, ids)
        on = self.today.isoformat()
        out = {}
        for pid in ids:
            person = bodies.get(pid)
            if person is None:
                continue
            try:
                out[pid] = due_list(self.config if pid in full else lean, person=person,
                                    history=history.get(pid, []), date=on)
            except ClinicalInputError as exc:
                self.problems.append(f"{pid}: {exc}")
                log.warning("no reminders for %s: %s", pid, exc)
        return out

    @cached_property
    def posyandu_of(self) -> dict[str, tuple[str, int]]:
        """household id -> (its Posyandu's name, schedule_day)."""
        rows = []
        for chunk in _chunks(sorted(self.family_subscriptions)):
            rows += self.conn.execute(sa.select(
                households.c.id, places.c.name, places.c.schedule_day,
            ).join(places, places.c.id == households.c.posyandu_id).where(
                households.c.id.in_(chunk), places.c.schedule_day.is_not(None))).all()
        return {row.id: (row.name, row.schedule_day) for row in rows}

    # --- staff ----------------------------------------------------------------------------

    @cached_property
    def staff_subscriptions(self) -> dict[str, list[str]]:
        """username -> their staff devices' subscription ids (active users only)."""
        if self.only_household:
            return {}
        subs = self.conn.execute(sa.select(
            push_subscriptions.c.id, push_subscriptions.c.username).where(
            push_subscriptions.c.kind == "staff",
            push_subscriptions.c.username.is_not(None))).all()
        out: dict[str, list[str]] = defaultdict(list)
        for sub in subs:
            if sub.username in self.staff:
                out[sub.username].append(sub.id)
        return dict(out)

    @cached_property
    def staff(self) -> dict[str, User]:
        names = sorted(set(self.conn.execute(sa.select(push_subscriptions.c.username).where(
            push_subscriptions.c.kind == "staff",
            push_subscriptions.c.username.is_not(None))).scalars()))
        out = {}
        for chunk in _chunks(names):
            for row in self.conn.execute(USER_ROWS.where(users.c.username.in_(chunk),
                                                         users.c.active.is_(True))):
                out[row.username] = user_from_row(row)
        return out


_LEAN: dict[int, tuple[dict, dict]] = {}


def lean_config(config: dict) -> dict:
    """`config` with only the screening rules a due-item reminder rule follows (by code or
    kind): due_list then computes the same items for them and skips the rest (half its time
    per person is the screening programme)."""
    cached = _LEAN.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    follows = [r["follows"] for r in config["reminders"]["rules"] if r["family"] == "due_items"]
    codes = {code for f in follows for code in f.get("codes", ())}
    kinds = {kind for f in follows for kind in f.get("kinds", ())}
    screenings = config["screenings"]
    lean = {**config, "screenings": {**screenings, "rules": [
        rule for rule in screenings["rules"] if rule["code"] in codes or rule["kind"] in kinds]}}
    _LEAN[id(config)] = (config, lean)
    return lean


def _chunks(ids: list[str]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]

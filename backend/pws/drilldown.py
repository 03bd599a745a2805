"""The persons behind a PWS gap: for one indicator, desa and month, who is in the denominator
but not in the numerator (docs/pws.md, "Drill-down and follow-up").

What the Puskesmas sends to the Pustu is names, not a percentage. The sets are the ones the
board counts (config/ilp/pws.json, backend/pws/catalogue.py):

* denominator: a target group's registered members as of the month's end
  (backend/pws/groups.py `members`; an official sasaran names nobody, so the registered
  persons are who can be visited), or for an event or growth denominator the persons with
  that fact in the indicator's period (K-visits of the year, balita weighed this month);
* numerator: the persons with the numerator's fact in the period (pws_events, growth_points:
  the clinical evaluator's facts, never a second copy of its rules);
* the gap is denominator minus numerator; for an indicator whose target is a ceiling
  (stunting, wasting: pws.json `better: lower`) it is the numerator itself — the stunted
  children are the ones to follow up.

One query lists the persons with their household, Posyandu, last contact and any open PWS
task of the indicator, ordered by RT/RW and household, capped at `limit` (the total says how
many more). Then, for the listed persons only, what is missing in words: from the due list
of the clinical evaluator (`backend.clinical.due_list`: the IDL doses not given, the ANC
contacts so far) or from the growth facts ("terakhir ditimbang …"), with
labels from config/ilp, never a code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from backend import clock
from backend.clinical import ClinicalInputError, due_list
from backend.clinical.dates import age
from backend.followup.inputs import read_records
from backend.followup.tasks import OPEN
from backend.projections.tables import (
    encounters,
    growth_points,
    households,
    persons,
    places,
    pws_events,
    tasks,
)
from backend.pws import flagged, groups
from backend.pws.catalogue import Catalogue, Indicator, Measure
from backend.pws.compute import growth_filter
from backend.pws.followup import SOURCE_PREFIX
from backend.pws.months import Month, period_start

LIMIT = 200          # persons listed at most; the rest are counted (`more`)
DEFAULT_LIMIT = 50   # a screen's worth; keeps the due-list words under the 100 ms target

# Which due-list items (docs/clinical-rules.md "The due list") say what a person of an
# indicator's gap still lacks: item kinds, and for immunizations the immunization.json group.
# Presentation only: the evaluator decides each item's status, PWS only picks which to show.
# Kept to the small groups (pregnant women, mothers, infants): a due list costs 1-4 ms a
# person, too much for the hundreds of adults of a screening gap (bench/pws_gaps.py). Those
# get the date of their last numerator fact instead ("Terakhir 3 Mar 2025").
DUE_ITEMS = {
    "k1": {"kinds": ("anc",)}, "k1_murni": {"kinds": ("anc",)},
    "k4": {"kinds": ("anc",)}, "k6": {"kinds": ("anc",)},
    "kf_lengkap": {"kinds": ("kf",)}, "kn1": {"kinds": ("kn",)},
    "kn_lengkap": {"kinds": ("kn",)},
    "idl": {"kinds": ("immunization",), "group": "dasar"},
    "baduta": {"kinds": ("immunization",), "group": "baduta"},
}
NOT_DONE = ("overdue", "due", "not_recorded", "missed")
# growth_points column -> growth.json index whose category labels it carries
GROWTH_INDEX = {"bbu": "bb_u", "tbu": "tb_u", "bbtb": "bb_tb"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
SHOWN_ITEMS = 4   # due-list items named in one "missing" line; the rest as "+n lainnya"


@dataclass(frozen=True)
class Gap:
    indicator: str
    desa: str
    month: str
    total: int               # persons in the gap
    persons: list[dict]      # at most `limit` of them
    more: int                # total - listed


# --- the sets -----------------------------------------------------------------------------

def period(indicator: Indicator, month: Month) -> tuple[dt.date, dt.date]:
    """The dates the indicator counts for `month` (backend/pws/months.py `period_start`)."""
    return period_start(indicator.period, month).first_day, month.last_day


def measure_persons(cat: Catalogue, measure: Measure, desa: str, first: dt.date,
                    last: dt.date, trusted: bool = False) -> sa.Select:
    """Person ids with the measure's fact in desa between first and last (event, growth);
    `trusted`: growth values free of open flags only, as a prevalence counts them."""
    if measure.kind == "event":
        e = pws_events.c
        return sa.select(e.person_id).where(e.desa == desa, e.event == measure.code,
                                            e.date.between(first, last))
    if measure.kind == "growth":
        g = growth_points.c
        return sa.select(g.person_id).where(g.desa == desa, g.date.between(first, last),
                                            growth_filter(cat.growth_measures[measure.code]),
                                            flagged.trusted(cat) if trusted else sa.true())
    raise ValueError(f"a {measure.kind} measure lists no persons by fact")


def gap_ids(cat: Catalogue, indicator: Indicator, desa: str, month: Month) -> sa.Select:
    """The gap as a select of person ids (each once), without persons deceased by the
    month's end."""
    first, last = period(indicator, month)
    trusted = flagged.leaves_out(cat, indicator)
    numerator = measure_persons(cat, indicator.numerator, desa, first, last, trusted)
    if indicator.denominator.kind == "group":
        members = groups.members(indicator.denominator.code, [desa], month).subquery()
        denominator = sa.select(members.c.person_id)
    else:
        denominator = measure_persons(cat, indicator.denominator, desa, first, last, trusted)
    gap = (sa.intersect(denominator, numerator) if indicator.lower_is_better
           else sa.except_(denominator, numerator)).subquery()
    # Nobody is sent to visit the dead: a live birth who died stays in the KN denominator
    # (groups.py), but not in the list of persons to follow up; nor a merged duplicate
    # (docs/review.md): its survivor is the one listed.
    dead = sa.select(persons.c.id).where(persons.c.desa == desa, sa.or_(
        persons.c.deceased_date <= last, persons.c.merged_into_id.is_not(None)))
    return sa.select(gap.c.person_id).where(gap.c.person_id.not_in(dead))


def reference_day(month: Month) -> dt.date:
    """The day ages and due lists are judged on: the month's last day, today for the current
    month (the Puskesmas's clock)."""
    return min(month.last_day, clock.today())


def denominator_source(indicator: Indicator) -> str:
    """Whose names the list holds: the registered members of a group, or the persons found or
    measured (docs/pws.md "Denominators": the board's number may be an official sasaran, but
    only registered persons can be named)."""
    return "terdaftar" if indicator.denominator.kind == "group" else "terukur"


# --- the list -----------------------------------------------------------------------------

def _list_statement(ids: sa.Subquery, indicator: Indicator, desa: str, last: dt.date,
                    limit: int) -> sa.Select:
    p, h, pl = persons.c, households.c, places.alias("posyandu")
    contact = (sa.select(encounters.c.person_id, sa.func.max(encounters.c.date).label("day"))
               .where(encounters.c.person_id.in_(sa.select(ids.c.person_id)),
                      encounters.c.date <= last)
               .group_by(encounters.c.person_id).subquery())
    task = (sa.select(tasks.c.person_id, sa.func.min(tasks.c.id).label("task_id"))
            .where(tasks.c.person_id.in_(sa.select(ids.c.person_id)),
                   tasks.c.status.in_(OPEN),
                   tasks.c.source.like(f"{SOURCE_PREFIX}{indicator.id}:%"))
            .group_by(tasks.c.person_id).subquery())
    return (sa.select(p.id, p.name, p.sex, p.birth_date, h.head_name, h.rt, h.rw,
                      pl.c.name.label("posyandu"), contact.c.day.label("last_contact"),
                      task.c.task_id)
            .select_from(persons)
            .join(ids, ids.c.person_id == p.id)
            .outerjoin(households, sa.and_(h.id == p.household_id, h.desa == desa))
            .outerjoin(pl, sa.and_(pl.c.id == sa.func.coalesce(p.posyandu_id, h.posyandu_id),
                                   pl.c.kind == "posyandu"))
            .outerjoin(contact, contact.c.person_id == p.id)
            .outerjoin(task, task.c.person_id == p.id)
            .where(p.desa == desa)
            # NULLs sort first on SQLite and last on PostgreSQL: a capped list must not
            # depend on the database, so a person without a household sorts as "".
            .order_by(*(sa.func.coalesce(c, "") for c in (h.rw, h.rt, h.head_name)),
                      p.name, p.id)
            .limit(limit))


def drilldown(conn: sa.Connection, config: dict, cat: Catalogue, indicator: Indicator,
              desa: str, month: Month, limit: int = DEFAULT_LIMIT) -> Gap:
    """The gap of `indicator` in `desa` for `month`; the caller has checked scope."""
    ids = gap_ids(cat, indicator, desa, month).subquery()
    total = conn.execute(sa.select(sa.func.count()).select_from(ids)).scalar_one()
    on = reference_day(month)
    rows = conn.execute(_list_statement(ids, indicator, desa, month.last_day, limit)).all()
    missing = missing_words(conn, config, cat, indicator, month, [r.id for r in rows], on)
    listed = [{"id": r.id, "name": r.name, "sex": r.sex,
               "age_text": age_text(r.birth_date, on), "household": r.head_name,
               "rt": r.rt, "rw": r.rw, "posyandu": r.posyandu,
               "last_contact": r.last_contact.isoformat() if r.last_contact else None,
               "missing": missing.get(r.id), "open_task": r.task_id,
               "actionable": r.id not in missing.waiting} for r in rows]
    return Gap(indicator.id, desa, str(month), total, listed, max(0, total - len(listed)))


def gap_person_ids(conn: sa.Connection, cat: Catalogue, indicator: Indicator, desa: str,
                   month: Month, limit: int) -> tuple[list[str], int]:
    """At most `limit` person ids of the gap (by id) and the gap's size."""
    ids = gap_ids(cat, indicator, desa, month).subquery()
    total = conn.execute(sa.select(sa.func.count()).select_from(ids)).scalar_one()
    listed = conn.execute(sa.select(ids.c.person_id).order_by(ids.c.person_id)
                          .limit(limit)).scalars().all()
    return list(listed), total


def gap_members(conn: sa.Connection, cat: Catalogue, indicator: Indicator, desa: str,
                month: Month, person_ids: Sequence[str]) -> set[str]:
    """Which of `person_ids` are in the gap (one query): what a follow-up may name."""
    ids = gap_ids(cat, indicator, desa, month).subquery()
    found: set[str] = set()
    chunk = 500
    wanted = sorted(set(person_ids))
    for start in range(0, len(wanted), chunk):
        found |= set(conn.execute(sa.select(ids.c.person_id).where(
            ids.c.person_id.in_(wanted[start:start + chunk]))).scalars())
    return found


# --- words --------------------------------------------------------------------------------

class Missing(dict):
    """person id -> what is missing, in words; `waiting` names the persons the evaluator says
    nothing can be done for today (the next dose not yet due, the window already closed), whom
    the drill-down lists but does not pre-select for a task."""

    def __init__(self, words: dict[str, str] | None = None, waiting: set[str] | None = None):
        super().__init__(words or {})
        self.waiting = waiting or set()


def age_text(birth: dt.date, on: dt.date) -> str:
    """"2 th 3 bl", "9 bl", "12 hari", "34 th": the PWA's rule (pwa/static/js/i18n.js
    `formatAge`, catalog `age.*`) on the clinical evaluator's age (backend/clinical/dates.py)."""
    if birth > on:
        return ""
    years_months = age(birth, on)
    years, months = years_months["years"], years_months["months"]
    if years >= 5:
        return f"{years} th"
    if years >= 1:
        return f"{years} th {months - years * 12} bl"
    if months >= 1:
        return f"{months} bl"
    return f"{years_months['days']} hari"


def date_text(day: dt.date) -> str:
    """"12 Agu 2026" (the PWA's medium date in id-ID)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def missing_words(conn: sa.Connection, config: dict, cat: Catalogue, indicator: Indicator,
                  month: Month, person_ids: Sequence[str], on: dt.date) -> Missing:
    """person id -> what is missing, in words (absent when nothing more than the indicator's
    gap reason can be said)."""
    if not person_ids:
        return Missing()
    if indicator.numerator.kind == "growth":
        return Missing(_growth_words(conn, config, cat, indicator, month, person_ids))
    if indicator.id in DUE_ITEMS:
        return _due_words(conn, config, DUE_ITEMS[indicator.id], person_ids, on)
    if indicator.denominator.kind == "event":
        # e.g. terduga TB not yet examined: since when the person is waiting
        return Missing(_since_words(conn, indicator.denominator.code, person_ids, month))
    if indicator.numerator.kind == "event":
        # screened last year, vitamin A last semester, BP measured in March
        return Missing(_last_words(conn, indicator.numerator.code, person_ids,
                                   period(indicator, month)[0]))
    return Missing()


def _growth_words(conn: sa.Connection, config: dict, cat: Catalogue, indicator: Indicator,
                  month: Month, person_ids: Sequence[str]) -> dict[str, str]:
    g = growth_points.c
    rows = conn.execute(sa.select(g.person_id, g.date, g.weight_kg, g.trend, g.bbu, g.tbu,
                                  g.bbtb)
                        .where(g.person_id.in_(list(person_ids)), g.date <= month.last_day)
                        .order_by(g.person_id, g.date, g.id)).all()
    latest: dict[str, sa.Row] = {}
    weighed: dict[str, dt.date] = {}
    for row in rows:
        latest[row.person_id] = row
        if row.weight_kg is not None:
            weighed[row.person_id] = row.date
    if indicator.lower_is_better:
        measure = cat.growth_measures[indicator.numerator.code]
        return {pid: _category_words(config, latest[pid], measure)
                for pid in person_ids if pid in latest}
    if indicator.numerator.code == "ditimbang" or indicator.denominator.kind == "group":
        out = {}
        for pid in person_ids:
            last = weighed.get(pid)
            # The list's title already says "not weighed this month": this says since when.
            out[pid] = (f"Terakhir ditimbang {date_text(last)}" if last
                        else "Belum pernah ditimbang")
        return out
    labels = config["growth"]["weight_trend"]["labels"]
    return {pid: f"{labels.get(latest[pid].trend, '')}, ditimbang {date_text(latest[pid].date)}"
            .lstrip(", ") for pid in person_ids
            if pid in latest and latest[pid].date >= month.first_day}


def _category_words(config: dict, row: sa.Row, measure: dict) -> str:
    """The growth.json label of the category that put the child in the numerator."""
    labels = []
    for column, index in GROWTH_INDEX.items():
        if column in measure:
            code = getattr(row, column)
            labels += [c["label"] for c in config["growth"]["categories"]["who2006"][index]
                       if c["code"] == code]
    return f"{', '.join(labels)}, diukur {date_text(row.date)}" if labels else \
        f"Diukur {date_text(row.date)}"


def _due_words(conn: sa.Connection, config: dict, spec: dict, person_ids: Sequence[str],
               on: dt.date) -> Missing:
    people, history = read_records(conn, person_ids)
    group = spec.get("group")
    in_group = {d["code"] for d in config["immunization"]["doses"] if d.get("group") == group}
    out = Missing()
    for pid, person in people.items():
        try:
            items = due_list(config, person=person, history=history.get(pid, []),
                             date=on.isoformat())["items"]
        except ClinicalInputError:
            continue   # a record the evaluator cannot read: the gap reason alone
        items = [i for i in items if i["kind"] in spec["kinds"]
                 and (not group or i["code"] in in_group)
                 and (not spec.get("codes") or i["code"] in spec["codes"])]
        todo = [i["label"] for i in items if i["status"] in NOT_DONE]
        done = [i for i in items if i["status"] == "done"]
        words = []
        if "anc" in spec["kinds"]:
            # not "n kontak ANC": the K1 reason already says "kontak ANC" (followup.reason)
            words.append(f"ANC tercatat {len(done)} kali")
        if todo:
            shown = ", ".join(todo[:SHOWN_ITEMS])
            rest = f" (+{len(todo) - SHOWN_ITEMS} lainnya)" if len(todo) > SHOWN_ITEMS else ""
            words.append(f"belum: {shown}{rest}")
        else:
            # Nothing the evaluator says can be given or done today: the next item is not due
            # yet (a 2-week-old's second dose), or its window has closed (IDL by 12 months
            # missed). Listed, since the person is in the gap, but not a task to send now.
            out.waiting.add(pid)
            upcoming = [i["label"] for i in items if i["status"] == "upcoming"]
            words.append(f"berikutnya belum waktunya: {upcoming[0]}" if upcoming
                         else "tidak ada yang jatuh tempo sekarang")
        if words:
            text = "; ".join(words)
            out[pid] = text[0].upper() + text[1:]
    return out


def _since_words(conn: sa.Connection, event: str, person_ids: Sequence[str], month: Month
                 ) -> dict[str, str]:
    rows = conn.execute(sa.select(pws_events.c.person_id, sa.func.min(pws_events.c.date))
                        .where(pws_events.c.person_id.in_(list(person_ids)),
                               pws_events.c.event == event,
                               pws_events.c.date.between(month.year_start.first_day,
                                                         month.last_day))
                        .group_by(pws_events.c.person_id)).all()
    return {pid: f"Sejak {date_text(day)}" for pid, day in rows}


def _last_words(conn: sa.Connection, event: str, person_ids: Sequence[str], before: dt.date
                ) -> dict[str, str]:
    """"Terakhir <date>" of the numerator's fact before the period, else "Belum pernah
    tercatat": the gap reason says what, this says since when."""
    rows = dict(conn.execute(
        sa.select(pws_events.c.person_id, sa.func.max(pws_events.c.date))
        .where(pws_events.c.person_id.in_(list(person_ids)), pws_events.c.event == event,
               pws_events.c.date < before)
        .group_by(pws_events.c.person_id)).all())
    return {pid: f"Terakhir {date_text(rows[pid])}" if pid in rows else "Belum pernah tercatat"
            for pid in person_ids}

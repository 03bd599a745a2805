"""The kohort registers the Pustu and bidan still keep on paper, generated from the records
(docs/pws.md, "Monthly evaluation and kohort").

Formats followed (columns, order and conventions of the paper books):
* Kohort Bayi and Kohort Anak Balita dan Prasekolah: Kemenkes, *Petunjuk Teknis Pengisian dan
  Pemanfaatan Kohor Bayi dan Kohor Anak Balita dan Prasekolah* (revisi 2014/2015): NIK, name,
  birth date, sex (L/P; girls in red ink), mother, address, birth weight (< 2 500 g = BBLR),
  KN1-KN3 dates, a weight per month with N / T / BGM, immunization dates, death; children
  living outside the area on a separate page; a child continues in the Kohort Anak Balita at
  the first birthday.
* Kohort Ibu: Pedoman PWS-KIA (Kemenkes 2010) and the Kohort Ibu register: identity, G/P/A,
  HPHT and HPL, ANC contacts by trimester, delivery (date, attendant, place), nifas visits
  (KF), death.

One kohort year Y covers the calendar months Jan..Dec of Y. The infant section lists every
child who is under 12 months on some day of Y (born after 1 Jan Y-1); the balita section every
child aged 12-59 months on some day of Y. A child whose first birthday falls in Y appears in
both: weighings before the birthday in the bayi kohort, from the birthday on in the balita one.

No clinical rule is repeated here. The weight code of a weighing is the evaluator's weight
trend stored in `growth_points.trend` (growth.json letters); BGM is the catalogue's growth
measure of the "bgm" indicator (pws.json); KN and KF dates are the maternal evaluator's visit
windows (`pregnancy.visit_items`); ANC contact slots its `anc_contacts`/`assign_contacts`; an
immunization date is shown only for a dose the schedule evaluator counts as valid
(`schedules.valid_doses`: minimum age and interval); K4/K6/PF/IDL/baduta dates are the facts in
`pws_events`. This module only reads the projections and assembles rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from backend.clinical import pregnancy as preg
from backend.clinical import schedules
from backend.clinical.config import default_config
from backend.clinical.dates import add_months, shift_days
from backend.projections.places import desa_names
from backend.projections.tables import (
    encounters,
    growth_points,
    households,
    immunizations,
    persons,
    places,
    pregnancies,
    pws_events,
    services,
)
from backend.pws.catalogue import catalogue
from backend.pws.compute import growth_filter

MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BBLR_GRAMS = 2500          # Juknis kohor bayi: birth weight < 2 500 g is written "BBLR"
BIRTH_WEIGHT_DAYS = 7      # a weighing in the first week stands for the birth weight [cfg]
PLACE_TYPES = {"rs": "RS", "puskesmas": "Puskesmas", "pustu": "Pustu", "klinik": "Klinik",
               "pmb": "PMB", "rumah": "Rumah", "lainnya": "Lainnya"}
ATTENDANTS = {"dokter": "Dokter", "bidan": "Bidan", "perawat": "Perawat", "dukun": "Dukun",
              "lainnya": "Lainnya"}


SHEETS = {"bayi": "Kohort Bayi", "bayi_luar": "Bayi luar wilayah",
          "balita": "Kohort Anak Balita", "balita_luar": "Anak Balita luar wilayah",
          "ibu": "Kohort Ibu", "ibu_luar": "Ibu luar wilayah"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""          # the header above several columns ("Penimbangan", "Imunisasi")
    kind: str = "text"       # "text" | "date" | "number"
    width: int = 10          # characters, for the workbook
    part: int = 1            # the paper book's left (1) or right (2) page: a printed A4 sheet
                             # holds one of them; No, name and L/P head both


@dataclass
class Section:
    key: str                 # "bayi", "bayi_luar", "balita", "balita_luar", "ibu", "ibu_luar"
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    sheet: str = ""          # a workbook sheet name (at most 31 characters)


@dataclass
class Kohort:
    kind: str                # "ibu" | "balita"
    title: str
    desa: dict               # {code, name}
    year: int
    sections: list[Section]


# ---------------------------------------------------------------------------- reading helpers

def _live_encounters(conn: sa.Connection, person_ids: list[str]) -> dict[str, list[dict]]:
    """Per person, the encounters that count (not corrected by a later one), oldest first, as
    the light dicts the clinical evaluator reads: {_id, _date, pregnancy, services}."""
    if not person_ids:
        return {}
    rows = conn.execute(sa.select(encounters.c.id, encounters.c.person_id, encounters.c.date,
                                  encounters.c.pregnancy_id, encounters.c.corrects_id)
                        .where(encounters.c.person_id.in_(person_ids))).all()
    corrected = {row.corrects_id for row in rows if row.corrects_id}
    codes: dict[str, list[dict]] = defaultdict(list)
    for enc_id, code in conn.execute(
            sa.select(services.c.encounter_id, services.c.code)
            .where(services.c.person_id.in_(person_ids))):
        codes[enc_id].append({"code": code})
    found: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.date, r.id)):
        if row.id not in corrected:
            found[row.person_id].append({"_id": row.id, "_date": row.date,
                                         "pregnancy": row.pregnancy_id,
                                         "services": codes.get(row.id, [])})
    return found


def _events(conn: sa.Connection, person_ids: list[str]) -> dict[str, list]:
    """Per person, their pws_events rows (event, date, ref_id), oldest first."""
    found: dict[str, list] = defaultdict(list)
    if person_ids:
        for row in conn.execute(sa.select(pws_events.c.person_id, pws_events.c.event,
                                          pws_events.c.date, pws_events.c.ref_id)
                                .where(pws_events.c.person_id.in_(person_ids))
                                .order_by(pws_events.c.date)):
            found[row.person_id].append(row)
    return found


def _first_event(rows: list, event: str, ref_id: str | None = None) -> dt.date | None:
    return next((r.date for r in rows if r.event == event
                 and (ref_id is None or r.ref_id == ref_id)), None)


def _address(row) -> str:
    parts = []
    if row.rt or row.rw:
        parts.append(f"RT {row.rt or '-'}/RW {row.rw or '-'}")
    if row.dusun:
        parts.append(row.dusun)
    return ", ".join(parts)


def _people(conn: sa.Connection, where) -> list:
    """Persons with household address and Posyandu name."""
    posyandu = places.alias("posyandu")
    stmt = (sa.select(persons.c.id, persons.c.desa, persons.c.name, persons.c.nik,
                      persons.c.sex, persons.c.birth_date, persons.c.mother_id,
                      persons.c.deceased_date, households.c.rt, households.c.rw,
                      households.c.dusun, posyandu.c.name.label("posyandu"))
            .select_from(persons)
            .join(households, households.c.id == persons.c.household_id, isouter=True)
            .join(posyandu, posyandu.c.id == persons.c.posyandu_id, isouter=True)
            # A merged duplicate is listed under its survivor only (docs/review.md).
            .where(where, persons.c.merged_into_id.is_(None))
            .order_by(persons.c.birth_date, persons.c.name, persons.c.id))
    return conn.execute(stmt).all()


def _outside(conn: sa.Connection, desa: str, allowed: tuple[str, ...]):
    """The condition "lives in another desa the caller may see, but was served in `desa`":
    a visit recorded in this desa (written while the person lived here, or at one of its
    places) or registration at one of its Posyandu. The kohort's separate page for children
    and mothers from outside the area (Juknis kohor: "lembar halaman baru")."""
    local_places = sa.select(places.c.id).where(places.c.desa == desa)
    seen_here = sa.select(encounters.c.person_id).where(sa.or_(
        encounters.c.desa == desa, encounters.c.place_id.in_(local_places)))
    return sa.and_(persons.c.desa != desa, persons.c.desa.in_(allowed),
                   sa.or_(persons.c.posyandu_id.in_(local_places), persons.c.id.in_(seen_here)))


def _names(conn: sa.Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(conn.execute(sa.select(persons.c.id, persons.c.name)
                             .where(persons.c.id.in_(sorted(ids)))).all())


# ------------------------------------------------------------------------- growth and vaccines

def weight_cell(point: dict, letters: dict) -> str:
    """"4,2 N" / "9,8 T BGM": the weight in kg (Indonesian decimal comma) with its code; BGM
    as PWS counts it (the point's `bgm`, see `_growth`)."""
    text = f"{point['weight_kg']:.1f}".replace(".", ",") if point.get("weight_kg") else ""
    code = letters.get(point.get("trend") or "", "")
    if point.get("two_t"):
        code = "2T"
    marks = [text, code] + (["BGM"] if point.get("bgm") else [])
    return " ".join(mark for mark in marks if mark)


def _growth(conn: sa.Connection, person_ids: list[str]) -> dict[str, list[dict]]:
    """Each person's growth points, each with `bgm`: whether it is in the numerator of the
    PWS indicator "bgm" (compute.growth_filter over its pws.json growth measure), so the
    kohort marks BGM exactly where PWS counts it."""
    cat = catalogue()
    bgm = growth_filter(cat.growth_measures[cat.get("bgm").numerator.code]).label("bgm")
    found: dict[str, list[dict]] = defaultdict(list)
    if person_ids:
        for row in conn.execute(sa.select(growth_points, bgm)
                                .where(growth_points.c.person_id.in_(person_ids))
                                .order_by(growth_points.c.date, growth_points.c.id)):
            found[row.person_id].append(dict(row._mapping))
    return found


def _vaccines(conn: sa.Connection, person_ids: list[str],
              live: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Per person, the doses recorded on encounters that count: {vaccine, dose, date}."""
    found: dict[str, list[dict]] = defaultdict(list)
    if person_ids:
        counted = {enc["_id"] for encs in live.values() for enc in encs}
        for row in conn.execute(sa.select(immunizations.c.encounter_id,
                                          immunizations.c.person_id, immunizations.c.vaccine,
                                          immunizations.c.dose, immunizations.c.date)
                                .where(immunizations.c.person_id.in_(person_ids))
                                .order_by(immunizations.c.date)):
            if row.encounter_id in counted:
                found[row.person_id].append({"vaccine": row.vaccine, "dose": row.dose,
                                             "date": row.date})
    return found


def visit_dates(config: dict, kind: str, start: dt.date, encs: list[dict]) -> dict[str, dt.date]:
    """KN (from birth) or KF (from delivery) visit code → the date the evaluator counts."""
    last = max(v["until_day"] for v in config["maternal"][kind]["visits"])
    items = preg.visit_items(config, kind, start, encs, shift_days(start, last + 1), 0)
    return {item["code"]: dt.date.fromisoformat(item["done_on"]) for item in items
            if item.get("done_on")}


# ------------------------------------------------------------------------------ Kohort balita

def _dose_columns(config: dict, groups: tuple[str, ...]) -> list[Column]:
    """A column per dose of these immunization.json groups, headed as the paper kohort heads
    it: the vaccine, and the dose number where the series has several (HB0, BCG, DPT-HB-Hib 2)."""
    settings = {name: s["value"] for name, s in config["immunization"]["settings"].items()}
    doses = config["immunization"]["doses"]
    series = {dose["vaccine"]: 0 for dose in doses}
    for dose in doses:
        series[dose["vaccine"]] += 1
    columns = []
    for dose in doses:
        when = dose.get("when") or {}
        if dose["group"] in groups and ("setting" not in when or settings[when["setting"]]):
            label = dose["vaccine"] if series[dose["vaccine"]] == 1 \
                else f"{dose['vaccine']} {dose['dose']}"
            columns.append(Column(f"imm:{dose['code']}", label, "Tanggal imunisasi",
                                  "date", 11, 2))
    return columns


def _month_columns(year: int) -> list[Column]:
    return [Column(f"m:{year}-{m:02d}", MONTHS_ID[m - 1],
                   f"Penimbangan {year} (kg, N/T/BGM)", "text", 9) for m in range(1, 13)]


IDENTITY = [Column("no", "No", "", "number", 5), Column("nik", "NIK", "", "text", 18),
            Column("name", "Nama anak", "", "text", 24), Column("sex", "L/P", "", "text", 5),
            Column("birth_date", "Tgl lahir", "", "date", 11),
            Column("mother", "Nama ibu", "", "text", 22),
            Column("address", "Alamat", "", "text", 20),
            Column("posyandu", "Posyandu", "", "text", 16)]


def bayi_columns(config: dict, year: int) -> list[Column]:
    kn = [Column(f"kn:{v['code']}", v["code"], "Kunjungan neonatal", "date", 11)
          for v in config["maternal"]["kn"]["visits"]]
    return [*IDENTITY, Column("birth_weight", "BB lahir (g)", "Lahir", "text", 11),
            *kn, *_month_columns(year), *_dose_columns(config, ("dasar",)),
            Column("idl", "IDL", "Tanggal imunisasi", "date", 11, 2),
            Column("vitamin_a", "Vitamin A", "", "text", 12, 2),
            Column("first_birthday", "Pindah ke kohort balita", "", "date", 12, 2),
            Column("death_date", "Tgl meninggal", "", "date", 11, 2)]


def balita_columns(config: dict, year: int) -> list[Column]:
    return [*IDENTITY, *_month_columns(year), *_dose_columns(config, ("baduta",)),
            Column("baduta_lengkap", "Baduta lengkap", "Tanggal imunisasi", "date", 11, 2),
            Column("vitamin_a", "Vitamin A", "", "text", 12, 2),
            Column("death_date", "Tgl meninggal", "", "date", 11, 2)]


def first_birthday(birth: dt.date) -> dt.date:
    return add_months(birth, 12)


def _child_row(person, *, stage: str, year: int, config: dict, mothers: dict, growth: list,
               encs: list[dict], vaccines: list[dict], events: list, letters: dict) -> dict:
    """One child's line in the bayi (`stage` "bayi") or balita kohort of `year`."""
    birthday = first_birthday(person.birth_date)
    row = {"person_id": person.id, "nik": person.nik, "name": person.name, "sex": person.sex,
           "birth_date": person.birth_date, "mother": mothers.get(person.mother_id, ""),
           "address": _address(person), "posyandu": person.posyandu or "",
           "death_date": person.deceased_date}
    in_stage = (lambda day: day < birthday) if stage == "bayi" else (lambda day: day >= birthday)
    for point in growth:
        if point["date"].year == year and in_stage(point["date"]) and point.get("weight_kg"):
            row[f"m:{point['date']:%Y-%m}"] = weight_cell(point, letters)  # last one wins
    valid = schedules.valid_doses(config, person.birth_date, person.sex, vaccines)
    for code, day in valid.items():
        row[f"imm:{code}"] = day
    vitamin_a = [r.date for r in events if r.event == "vitamin_a" and r.date.year == year
                 and in_stage(r.date)]
    row["vitamin_a"] = ", ".join(f"{d:%d/%m}" for d in vitamin_a)
    if stage == "bayi":
        first_week = [p for p in growth if p["age_days"] <= BIRTH_WEIGHT_DAYS and p["weight_kg"]]
        if first_week:
            grams = round(first_week[0]["weight_kg"] * 1000)
            row["birth_weight"] = f"{grams}" + (" BBLR" if grams < BBLR_GRAMS else "")
        for code, day in visit_dates(config, "kn", person.birth_date, encs).items():
            row[f"kn:{code}"] = day
        row["idl"] = _first_event(events, "idl")
        row["first_birthday"] = birthday if birthday.year == year else None
    else:
        row["baduta_lengkap"] = _first_event(events, "baduta_lengkap")
    return row


def _number(rows: list[dict]) -> list[dict]:
    for index, row in enumerate(rows, start=1):
        row["no"] = index
    return rows


def kohort_balita(conn: sa.Connection, desa: str, year: int,
                  allowed: tuple[str, ...] | None = None) -> Kohort:
    """Kohort Bayi and Kohort Anak Balita of `desa` for `year`: residents first, then the
    children from other desa (of `allowed`, the caller's scope) served in this desa."""
    config = default_config()
    allowed = allowed if allowed is not None else (desa,)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    alive = sa.or_(persons.c.deceased_date.is_(None), persons.c.deceased_date >= start)
    # under 12 months on some day of the year / 12-59 months on some day of the year
    bayi_age = sa.and_(persons.c.birth_date > dt.date(year - 1, 1, 1),
                       persons.c.birth_date <= end)
    balita_age = sa.and_(persons.c.birth_date <= dt.date(year - 1, 12, 31),
                         persons.c.birth_date > dt.date(year - 5, 1, 1))
    resident = persons.c.desa == desa
    outside = _outside(conn, desa, allowed)
    groups = {
        "bayi": _people(conn, sa.and_(resident, bayi_age, alive)),
        "bayi_luar": _people(conn, sa.and_(outside, bayi_age, alive)),
        "balita": _people(conn, sa.and_(resident, balita_age, alive)),
        "balita_luar": _people(conn, sa.and_(outside, balita_age, alive)),
    }
    ids = sorted({p.id for people in groups.values() for p in people})
    mothers = _names(conn, {p.mother_id for people in groups.values() for p in people
                            if p.mother_id})
    live = _live_encounters(conn, ids)
    growth, events = _growth(conn, ids), _events(conn, ids)
    vaccines = _vaccines(conn, ids, live)
    letters = config["growth"]["weight_trend"]["letters"]
    titles = {"bayi": "Kohort Bayi", "bayi_luar": "Kohort Bayi - luar wilayah",
              "balita": "Kohort Anak Balita", "balita_luar": "Kohort Anak Balita - luar wilayah"}
    sections = []
    for key, people in groups.items():
        stage = "bayi" if key.startswith("bayi") else "balita"
        rows = [_child_row(p, stage=stage, year=year, config=config, mothers=mothers,
                           growth=growth.get(p.id, []), encs=live.get(p.id, []),
                           vaccines=vaccines.get(p.id, []), events=events.get(p.id, []),
                           letters=letters) for p in people]
        columns = bayi_columns(config, year) if stage == "bayi" else balita_columns(config, year)
        sections.append(Section(key, titles[key], columns, _number(rows), SHEETS[key]))
    return Kohort("balita", "Kohort Bayi dan Anak Balita", desa_names(conn, [desa])[0], year,
                  sections)


# --------------------------------------------------------------------------------- Kohort ibu

def ibu_columns(config: dict) -> list[Column]:
    anc = [Column(f"anc:{slot['code']}", slot["code"], "Pemeriksaan kehamilan (tanggal)",
                  "date", 11) for slot in config["maternal"]["anc"]["contacts"]]
    kf = [Column(f"kf:{v['code']}", v["code"], "Kunjungan nifas", "date", 11, 2)
          for v in config["maternal"]["kf"]["visits"]]
    return [Column("no", "No", "", "number", 5), Column("nik", "NIK", "", "text", 18),
            Column("name", "Nama ibu", "", "text", 24), Column("age", "Umur", "", "number", 6),
            Column("address", "Alamat", "", "text", 20),
            Column("posyandu", "Posyandu", "", "text", 16),
            Column("gpa", "G/P/A", "Kehamilan", "text", 8),
            Column("hpht", "HPHT", "Kehamilan", "date", 11),
            Column("hpl", "HPL", "Kehamilan", "date", 11),
            Column("t_status", "Status T", "Kehamilan", "text", 8),
            *anc,
            Column("k1_kind", "K1", "Capaian", "text", 8),
            Column("k4", "K4 tercapai", "Capaian", "date", 11),
            Column("k6", "K6 tercapai", "Capaian", "date", 11),
            Column("delivery_date", "Tgl bersalin", "Persalinan", "date", 11, 2),
            Column("attendant", "Penolong", "Persalinan", "text", 10, 2),
            Column("place", "Tempat", "Persalinan", "text", 10, 2),
            Column("live_births", "Lahir hidup", "Persalinan", "number", 7, 2),
            *kf,
            Column("kf_lengkap", "KF lengkap", "Kunjungan nifas", "date", 11, 2),
            Column("death_date", "Tgl meninggal", "", "date", 11, 2)]


def _gpa(*counts: int | None) -> str:
    """"2/1/0" as the register writes gravida/para/abortus; "-" for one not recorded, blank
    when none is."""
    if all(v is None for v in counts):
        return ""
    return "/".join("-" if v is None else str(v) for v in counts)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def kohort_ibu(conn: sa.Connection, desa: str, year: int,
               allowed: tuple[str, ...] | None = None) -> Kohort:
    """Kohort Ibu of `desa` for `year`: one line per pregnancy whose span (HPHT, or first
    contact, to delivery, or HPL + 42 days nifas) overlaps the year."""
    config = default_config()
    allowed = allowed if allowed is not None else (desa,)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    nifas = config["lifestages"]["flags"]["nifas"]["days_after_delivery"]
    term = config["maternal"]["pregnancy"]["hpl_days_after_hpht"]      # Naegele
    sections = []
    pregnant = persons.c.id.in_(sa.select(pregnancies.c.person_id))
    for key, where, title in (("ibu", persons.c.desa == desa, "Kohort Ibu"),
                              ("ibu_luar", _outside(conn, desa, allowed),
                               "Kohort Ibu - luar wilayah")):
        people = {p.id: p for p in _people(conn, sa.and_(where, pregnant))}
        preg_rows = conn.execute(sa.select(pregnancies)
                                 .where(pregnancies.c.person_id.in_(sorted(people)))).all() \
            if people else []
        ids = sorted({r.person_id for r in preg_rows})
        live, events = _live_encounters(conn, ids), _events(conn, ids)
        vaccines = _vaccines(conn, ids, live)
        lines = []
        for p in preg_rows:
            encs = live.get(p.person_id, [])
            hpht = p.hpht or (shift_days(p.hpl, -term) if p.hpl else None)
            begun = hpht or next((e["_date"] for e in encs if e["pregnancy"] == p.id), None)
            finish = p.delivery_date or p.hpl or (shift_days(hpht, term) if hpht else None)
            if begun is None or begun > end or (finish and shift_days(finish, nifas) < start):
                continue
            lines.append((begun, p, hpht, encs))
        rows = []
        for begun, p, hpht, encs in sorted(lines, key=lambda x: (x[0], x[1].id)):
            person = people[p.person_id]
            evs = events.get(p.person_id, [])
            row = {"person_id": person.id, "nik": person.nik, "name": person.name,
                   "age": _age(person.birth_date, begun), "address": _address(person),
                   "posyandu": person.posyandu or "",
                   "gpa": _gpa(p.gravida, p.para, p.abortus),
                   "hpht": hpht, "hpl": p.hpl or (shift_days(hpht, term) if hpht else None),
                   "delivery_date": p.delivery_date,
                   "attendant": ATTENDANTS.get(p.delivery_attendant or "", ""),
                   "place": PLACE_TYPES.get(p.delivery_place_type or "", ""),
                   "live_births": p.live_births, "death_date": person.deceased_date}
            # Status T (tetanus) as the schedule evaluator counts it, from the doses recorded
            # up to the delivery (or the end of the kohort year)
            upto = p.delivery_date or end
            row["t_status"] = "T{}".format(schedules.td_status(
                config["immunization"]["td_wus"], person.birth_date,
                [v for v in vaccines.get(p.person_id, []) if v["date"] <= upto])[0])
            if hpht:
                until = [e for e in encs if p.delivery_date is None
                         or e["_date"] <= p.delivery_date]
                slots = preg.assign_contacts(config, preg.anc_contacts(
                    config, {"_id": p.id}, hpht, until))
                for code, contact in slots.items():
                    row[f"anc:{code}"] = contact["date"]
            murni = _first_event(evs, "anc_k1_murni", p.id)
            row["k1_kind"] = "Murni" if murni else ("Akses" if _first_event(evs, "anc_k1", p.id)
                                                    else "")
            row["k4"] = _first_event(evs, "anc_k4", p.id)
            row["k6"] = _first_event(evs, "anc_k6", p.id)
            row["kf_lengkap"] = _first_event(evs, "kf_lengkap", p.id)
            if p.delivery_date:
                for code, day in visit_dates(config, "kf", p.delivery_date, encs).items():
                    row[f"kf:{code}"] = day
            rows.append(row)
        sections.append(Section(key, title, ibu_columns(config), _number(rows), SHEETS[key]))
    return Kohort("ibu", "Kohort Ibu", desa_names(conn, [desa])[0], year, sections)


def as_json(kohort: Kohort) -> dict:
    """The kohort for the API: dates as ISO strings, columns with their headers."""
    def value(v):
        return v.isoformat() if isinstance(v, dt.date) else v
    return {"kind": kohort.kind, "title": kohort.title, "desa": kohort.desa, "year": kohort.year,
            "sections": [{"key": s.key, "title": s.title,
                          "columns": [{"key": c.key, "label": c.label, "group": c.group,
                                       "kind": c.kind, "part": c.part} for c in s.columns],
                          "rows": [{k: value(v) for k, v in row.items()} for row in s.rows]}
                         for s in kohort.sections]}

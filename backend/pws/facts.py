"""The facts PWS counts, derived from one person's record by the clinical evaluator.

`person_facts(config, person, history)` answers the person's `growth_points` rows (one per
weighing or measuring under 60 months) and `pws_events` rows (one per dated milestone: "K4
reached on", "IDL complete on", "vitamin A given on"). Every clinical decision in them is the
evaluator's own (backend/clinical: growth_zscores, weight_trend, anc_contacts/assign_contacts,
visit_items, valid_doses, screenings_done, screening_result, first_diagnosis) on the same
config/ilp, so a PWS count and the due list or the visit's findings never disagree: PWS then
counts rows with SQL and never re-implements a rule. The event codes, their definitions and
sources are listed in docs/pws.md "Facts PWS counts".

Pure: no database, no clock. A record the evaluator cannot read (an impossible stored value)
loses only the facts that need it, with a warning; it never refuses a write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date

from backend.clinical import growth_zscores, weight_trend
from backend.clinical import history as hist
from backend.clinical.dates import add_duration, in_age_range, parse_date, shift_days
from backend.clinical.errors import ClinicalInputError
from backend.clinical.findings import screening_result
from backend.clinical.growth_trend import recorded_weights
from backend.clinical.pregnancy import (
    anc_contacts,
    anc_minimum,
    assign_contacts,
    contacts_reached,
    hpht_of,
    visit_items,
)
from backend.clinical.schedules import applicable_series, valid_doses
from backend.clinical.screening import screenings_done

log = logging.getLogger(__name__)

# What PWS adds to the clinical rules: the programme's own counting conventions, none of which
# the due list needs. `config["pws"]["facts"]` (config/ilp/pws.json) overrides any of them.
FACTS: dict = {
    # K4 as the PWS-KIA still reports it: >= 4 contacts, 1-1-2 by trimester.
    "k4_per_trimester": {"1": 1, "2": 1, "3": 2},
    "k4_source": "Pedoman PWS-KIA (Kemenkes 2010): K4 minimal 1-1-2",
    # Persalinan di fasyankes: by a health worker in a health facility (PMB is one).
    "facility_places": ["rs", "puskesmas", "pustu", "klinik", "pmb"],
    "health_workers": ["dokter", "bidan", "perawat"],
    "facility_source": "Permenkes 4/2019 (SPM: persalinan oleh tenaga kesehatan di fasyankes); "
                       "Permenkes 21/2021 Pasal 16",
    # IDL counts a basic series completed before the first birthday.
    "idl_before": "P12M",
    "idl_source": "Permenkes 12/2017; Permenkes 4/2019 (IDL: imunisasi dasar lengkap sebelum "
                  "umur 12 bulan)",
    # Mental-health screening instruments counted from 15 years.
    "jiwa_instruments": ["srq20", "sdq", "assist"],
    "jiwa_source": "Juknis ILP (Kepmenkes HK.01.07/MENKES/2015/2023): SRQ-20, SDQ, ASSIST",
    # TB: the screening instrument whose referral result is 'terduga', and what counts as
    # the terduga being examined afterwards: a TB diagnosis, or a recorded examination.
    "tb_instrument": "tb_gejala",
    "tb_examined_icd10": ["A15", "A16", "A17", "A18", "A19"],
    "tb_examined_services": ["tcm", "bta", "rontgen_toraks"],
    "tb_source": "Permenkes 67/2016; Permenkes 4/2019 (SPM: terduga TB mendapat pemeriksaan "
                 "TCM/BTA/rontgen)",
    # Hypertension and DM cases and their monthly control: the screenings.json rules.
    "ht_rule": "kontrol_hipertensi",
    "dm_rule": "kontrol_dm",
}

_PREPARED: dict[int, tuple[dict, dict]] = {}


def facts_rules(config: dict) -> dict:
    """FACTS with config/ilp/pws.json's `facts` over it, and what every person's derivation
    looks up (screening rules by code, the age-group screening rules, the childhood
    vaccines): prepared once per loaded config, which lives as long as the process."""
    cached = _PREPARED.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    rules = {**FACTS, **(config.get("pws") or {}).get("facts", {})}
    screening = config["screenings"]["rules"]
    rules["_by_code"] = {rule["code"]: rule for rule in screening}
    rules["_age_rules"] = [rule for rule in screening if "age" in rule["who"]
                           and "diagnosis" not in rule["who"] and not rule["who"].get("pregnant")]
    rules["_childhood"] = {dose["vaccine"] for dose in config["immunization"]["doses"]
                           if dose.get("group") in ("dasar", "baduta")}
    rules["_series"] = {}    # sex -> applicable_series, filled by immunization_events
    _PREPARED[id(config)] = (config, rules)
    return rules


def person_facts(config: dict, person: dict, history: list[dict],
                 growth: dict[str, dict | None] | None = None) -> tuple[list[dict], list[dict]]:
    """(growth_points rows, pws_events rows) of `person` (a person body with `_id`) given
    their encounter and pregnancy bodies (`_id` each; deleted and corrected encounters are
    ignored the way the evaluator ignores them). `growth`, if given, receives the
    growth_zscores of every visit the growth rows evaluated, by encounter id (None where the
    evaluator refused it): backend/pws/refresh.py `Records.growth`."""
    try:
        birth = parse_date(person.get("birth_date"), "person.birth_date")
        encs = hist.encounters(history, date.max)
    except ClinicalInputError as exc:
        log.warning("PWS facts of %s not derived: %s", person.get("_id"), exc)
        return [], []
    ctx = _Context(config, facts_rules(config), person, birth, encs, history)
    events: list[dict] = []
    for derive in EVENT_DERIVERS:
        gate = FAMILY_GATES.get(derive)
        if gate is not None and not gate(ctx):
            continue
        try:
            events += derive(ctx)
        except ClinicalInputError as exc:
            log.warning("PWS %s of %s not derived: %s", derive.__name__, person.get("_id"), exc)
    return growth_rows(ctx, growth), _unique(events)


class _Context:
    """One person's record as every deriver reads it."""

    def __init__(self, config: dict, rules: dict, person: dict, birth: date,
                 encs: list[dict], history: list[dict]):
        self.config, self.rules, self.person, self.birth = config, rules, person, birth
        self.encs, self.history = encs, history
        self.pregnancies = hist.pregnancies(history)
        self.person_id, self.desa = person["_id"], person["desa"]
        self._ages: dict[str, tuple[date, date | None]] = {}
        self._after: dict[str, date] = {}

    def after(self, duration: str) -> date:
        """birth + `duration` (add_duration), once per person: every deriver asks for the
        same few birthdays (the rules' age bounds) once per visit or per rule."""
        day = self._after.get(duration)
        if day is None:
            day = self._after[duration] = add_duration(self.birth, duration)
        return day

    def event(self, code: str, day: date, enc: dict | None = None, ref: str | None = None,
              value: object = None) -> dict:
        return {"person_id": self.person_id, "desa": self.desa, "event": code, "date": day,
                "setting": enc.get("setting") if enc else None,
                "ref_id": ref or (enc.get("_id") if enc else None),
                "value": None if value is None else str(value)[:32]}

    def age_span(self, group: str) -> tuple[date, date | None]:
        """(first day in, first day out or None) of pws.json group `group`'s age_years."""
        if group not in self._ages:
            low, high = self.config["pws"]["groups"][group]["registered"]["age_years"]
            self._ages[group] = (self.after(f"P{low}Y"),
                                 None if high is None else self.after(f"P{high}Y"))
        return self._ages[group]

    def age_years_in(self, day: date, group: str) -> bool:
        """Whether the person's age on `day` is in pws.json group `group`'s age_years."""
        start, end = self.age_span(group)
        return start <= day and (end is None or day < end)


def _unique(events: list[dict]) -> list[dict]:
    """One row per (event, date): two visits of one day are one milestone."""
    seen, out = set(), []
    for row in events:
        key = (row["event"], row["date"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _first(encs: Iterable[dict], day: date, test: Callable[[dict], bool]) -> dict | None:
    return next((enc for enc in encs if enc["_date"] == day and test(enc)), None)


# --- growth -------------------------------------------------------------------------------

def growth_rows(ctx: _Context, computed: dict[str, dict | None] | None = None) -> list[dict]:
    """One row per encounter of a child under 60 months that weighed or measured them: the
    z-scores and Permenkes 2/2020 categories of growth_zscores, the weight trend (N/T/B/O)
    and 2T of weight_trend, exactly as the visit's findings show them. `computed`, if given,
    receives each visit's growth_zscores (None if refused) by encounter id."""
    config, person = ctx.config, ctx.person
    until = config["growth"]["weight_trend"]["until_age_months"]
    fifth_birthday = ctx.after(f"P{until}M")   # in_age_range's bound, once
    weights = recorded_weights(ctx.encs)        # every weighing's trend reads them: once
    rows = []
    for enc in ctx.encs:    # oldest first: none after the fifth birthday counts
        if enc["_date"] >= fifth_birthday:
            break
        if enc["_date"] < ctx.birth:
            continue
        measured = enc.get("measurements") or {}
        weight, height = measured.get("weight_kg"), measured.get("height_cm")
        if weight is None and height is None:
            continue
        z = None    # what `computed` keeps if the evaluator refuses the visit
        try:
            z = growth_zscores(config, sex=person.get("sex"), weight_kg=weight,
                               height_cm=height, measure=measured.get("length_or_height"),
                               oedema=bool(measured.get("oedema")),
                               birth_date=person.get("birth_date"), date=enc["date"])
            trend = None if weight is None else weight_trend(
                config, person=person, history=ctx.history, date=enc["date"], weight_kg=weight,
                weights=weights)
        except ClinicalInputError as exc:
            log.warning("growth point of %s not derived: %s", enc.get("_id"), exc)
            continue
        finally:
            if computed is not None:
                computed[enc["_id"]] = z
        indices = z["indices"]
        rows.append({
            "encounter_id": enc["_id"], "person_id": ctx.person_id, "desa": ctx.desa,
            "date": enc["_date"], "setting": enc["setting"], "age_days": z["age_days"],
            "sex": person["sex"], "weight_kg": weight, "height_cm": height,
            "waz": _index(indices, "bb_u", "z"), "haz": _index(indices, "tb_u", "z"),
            "whz": _index(indices, "bb_tb", "z"), "bbu": _index(indices, "bb_u", "category"),
            "tbu": _index(indices, "tb_u", "category"),
            "bbtb": _index(indices, "bb_tb", "category"),
            "trend": trend["code"] if trend else None,
            "two_t": bool(trend and trend["two_t"])})
    return rows


def _index(indices: dict, name: str, key: str) -> object:
    return (indices.get(name) or {}).get(key)


# --- maternal ------------------------------------------------------------------------------

def anc_events(ctx: _Context) -> list[dict]:
    """Per pregnancy: K1 (first contact, any trimester: assign_contacts), K1 murni (that
    contact in trimester 1), K4 (the day 1-1-2 is reached) and K6 (the day maternal.json's
    2-1-3 with its doctor contacts is reached: anc_minimum), from anc_contacts between HPHT
    and the delivery (or the end of trimester 3)."""
    config, out = ctx.config, []
    slots = config["maternal"]["anc"]["contacts"]
    k4 = {int(t): n for t, n in ctx.rules["k4_per_trimester"].items()}
    k6 = anc_minimum(config)
    for doc in ctx.pregnancies:
        raw = hpht_of(config, doc)
        if not raw:
            continue
        hpht = parse_date(raw, "pregnancy.hpht")
        end = _pregnancy_end(config, doc, hpht)
        encs = [enc for enc in ctx.encs if enc["_date"] <= end]
        contacts = anc_contacts(config, doc, hpht, encs)
        if not contacts:
            continue
        first = assign_contacts(config, contacts)[slots[0]["code"]]

        def at(day: date, doc: dict = doc, encs: list[dict] = encs) -> dict | None:
            return _first(encs, day, lambda e: e.get("pregnancy") == doc["_id"]
                          or hist.has_service(e, config["maternal"]["anc"]["service_codes"]))

        out.append(ctx.event("anc_k1", first["date"], at(first["date"]), doc["_id"],
                             first["trimester"]))
        if first["trimester"] == 1:
            out.append(ctx.event("anc_k1_murni", first["date"], at(first["date"]), doc["_id"]))
        for code, (per_trimester, doctor) in (("anc_k4", (k4, {})), ("anc_k6", k6)):
            reached = contacts_reached(contacts, per_trimester, doctor)
            if reached:
                out.append(ctx.event(code, reached, at(reached), doc["_id"]))
    return out


def _pregnancy_end(config: dict, doc: dict, hpht: date) -> date:
    delivered = (doc.get("delivery") or {}).get("date")
    if delivered:
        return parse_date(delivered, "pregnancy.delivery.date")
    return shift_days(hpht, config["maternal"]["anc"]["trimester_3_until_day"])


def delivery_events(ctx: _Context) -> list[dict]:
    """Every recorded delivery (`persalinan`), the ones by a health worker in a facility
    (`persalinan_fasyankes`) and, when KF1-KF4 of maternal.json all fall in their windows,
    `kf_lengkap` on the day of the last (visit_items)."""
    out = []
    for doc in ctx.pregnancies:
        delivery = doc.get("delivery") or {}
        if not delivery.get("date"):
            continue
        day = parse_date(delivery["date"], "pregnancy.delivery.date")
        out.append(ctx.event("persalinan", day, ref=doc["_id"], value=delivery.get("place_type")))
        if delivery.get("place_type") in ctx.rules["facility_places"] \
                and delivery.get("attendant") in ctx.rules["health_workers"]:
            out.append(ctx.event("persalinan_fasyankes", day, ref=doc["_id"],
                                 value=delivery.get("place_type")))
        done = _all_visits(ctx, "kf", day)
        if done:
            out.append(ctx.event("kf_lengkap", done[-1], _visit_enc(ctx, "kf", done[-1]),
                                 doc["_id"]))
    return out


def neonatal_events(ctx: _Context) -> list[dict]:
    """The baby's own KN visits from the birth date: `kn1` when KN1 is done in its window,
    `kn_lengkap` on the day of the last when KN1-KN3 all are (visit_items, maternal.json kn)."""
    rules = ctx.config["maternal"]["kn"]
    last_day = shift_days(ctx.birth, rules["visits"][-1]["until_day"])
    if not any(enc["_date"] <= last_day and hist.has_service(enc, rules["service_codes"])
               for enc in ctx.encs):
        return []
    items = visit_items(ctx.config, "kn", ctx.birth, ctx.encs, last_day, 0)
    out = []
    first = items[0] if items else None
    if first and first["status"] == "done":
        day = date.fromisoformat(first["done_on"])
        out.append(ctx.event("kn1", day, _visit_enc(ctx, "kn", day)))
    done = _all_visits(ctx, "kn", ctx.birth, items)
    if done:
        out.append(ctx.event("kn_lengkap", done[-1], _visit_enc(ctx, "kn", done[-1])))
    return out


def _all_visits(ctx: _Context, kind: str, start: date, items: list[dict] | None = None
                ) -> list[date] | None:
    """The dates of every KF/KN visit when all are done in their windows, else None."""
    rules = ctx.config["maternal"][kind]
    if items is None:
        items = visit_items(ctx.config, kind, start, ctx.encs,
                            shift_days(start, rules["visits"][-1]["until_day"]), 0)
    if len(items) != len(rules["visits"]) or any(i["status"] != "done" for i in items):
        return None
    return sorted(date.fromisoformat(item["done_on"]) for item in items)


def _visit_enc(ctx: _Context, kind: str, day: date) -> dict | None:
    codes = ctx.config["maternal"][kind]["service_codes"]
    return _first(ctx.encs, day, lambda enc: hist.has_service(enc, codes))


# --- child ---------------------------------------------------------------------------------

def immunization_events(ctx: _Context) -> list[dict]:
    """`idl`: every applicable dose of immunization.json group "dasar" that the schedule
    places in the first year (its ideal window opens before `idl_before`, 12 months: PCV-3,
    ideally at 12 months, is left to the booster age) valid (valid_doses: minimum age and
    interval kept), dated by the last, when that is before the first birthday;
    `baduta_lengkap`: every dose of group "baduta" valid, dated by the last."""
    records = hist.immunizations(ctx.encs)
    if not any(record["vaccine"] in ctx.rules["_childhood"] for record in records):
        return []     # an adult's Td, or nothing: no IDL, no booster
    first_birthday = ctx.after(ctx.rules["idl_before"])
    wanted = {}
    sex = ctx.person["sex"]
    if sex not in ctx.rules["_series"]:    # the schedule depends on the config and sex only
        ctx.rules["_series"][sex] = applicable_series(ctx.config, sex)
    for group, code in (("dasar", "idl"), ("baduta", "baduta_lengkap")):
        doses = [dose for series in ctx.rules["_series"][sex]
                 for dose in series if dose.get("group") == group and (
                     code != "idl" or ctx.after(dose["ideal"][0]) < first_birthday)]
        # Only a shortcut: a dose without any record (before the first birthday, for IDL)
        # cannot be valid; valid_doses decides the rest.
        given = {(r["vaccine"], r["dose"]) for r in records
                 if code != "idl" or r["date"] < first_birthday}
        if doses and all((dose["vaccine"], dose["dose"]) in given for dose in doses):
            wanted[code] = [dose["code"] for dose in doses]
    if not wanted:
        return []
    valid = valid_doses(ctx.config, ctx.birth, ctx.person.get("sex"), records)
    out = []
    for code, codes in wanted.items():
        if any(c not in valid for c in codes):
            continue
        day = max(valid[c] for c in codes)
        if code == "idl" and day >= first_birthday:
            continue
        enc = next((e for e in ctx.encs if any(
            (parse_date(g["date"], "immunization.date") if g.get("date") else e["_date"]) == day
            for g in e.get("immunizations") or [])), None)
        out.append(ctx.event(code, day, enc))
    return out


def vitamin_a_events(ctx: _Context) -> list[dict]:
    """A vitamin A capsule (vitamin_a.json service codes) given at 6-59 months (its `age`);
    the capsule colour by age as value."""
    spec = ctx.config["vitamin_a"]
    out = []
    for enc in ctx.encs:
        if hist.has_service(enc, spec["service_codes"]) \
                and in_age_range(ctx.birth, enc["_date"], spec["age"]):
            capsule = next((c for c in spec["capsules"]
                            if in_age_range(ctx.birth, enc["_date"], c["age"])), None)
            out.append(ctx.event("vitamin_a", enc["_date"], enc,
                                 value=capsule["colour"] if capsule else None))
    return out


# --- adults --------------------------------------------------------------------------------

def screening_events(ctx: _Context) -> list[dict]:
    """`skrining_usia_produktif` / `skrining_lansia`: a day on which the person did what an
    age-based screenings.json rule asks while eligible for it (screenings_done), aged 15-59 /
    60+ (pws.json groups usia_produktif, lansia). `ht_kasus` / `dm_kasus`: the first diagnosis
    of the control rule's ICD-10 codes; `ht_terlayani` / `dm_terlayani`: each day the control
    rule (kontrol_hipertensi: blood pressure; kontrol_dm: glucose) was done after it."""
    config, rules = ctx.config, ctx.rules
    by_code = rules["_by_code"]
    person = {"birth": ctx.birth, "sex": ctx.person.get("sex"), "hpht": None, "smoker": False}
    out = []
    # Cheap first: no diagnosis, no control; no visit from 15, no age-group screening.
    for rule_code, case, served in ((rules["ht_rule"], "ht_kasus", "ht_terlayani"),
                                    (rules["dm_rule"], "dm_kasus", "dm_terlayani")):
        prefixes = by_code[rule_code]["who"]["diagnosis"]
        enc = next((e for e in ctx.encs if hist.has_diagnosis(e, prefixes)), None)
        if enc is None:
            continue
        out.append(ctx.event(case, enc["_date"], enc))
        out += [ctx.event(served, enc["_date"], enc, value=code) for enc, code in
                screenings_done(config, person, ctx.encs, [by_code[rule_code]])]
    adult = [enc for enc in ctx.encs if ctx.age_years_in(enc["_date"], "usia_produktif")
             or ctx.age_years_in(enc["_date"], "lansia")]
    if not adult:
        return out
    person["smoker"] = hist.is_smoker(ctx.encs)    # the latest smoking screening (PUMA)
    # Only a shortcut: rules whose age range ends before the first adult visit can never be
    # met on these visits (child weighings, KPSP); screenings_done still decides every rule.
    first = adult[0]["_date"]
    open_rules = [rule for rule in rules["_age_rules"] if rule["who"]["age"][1] is None
                  or ctx.after(rule["who"]["age"][1]) > first]
    for enc, code in screenings_done(config, person, adult, open_rules, first_only=True):
        for group, event in (("usia_produktif", "skrining_usia_produktif"),
                             ("lansia", "skrining_lansia")):
            if ctx.age_years_in(enc["_date"], group):
                out.append(ctx.event(event, enc["_date"], enc, value=code))
    return out


def jiwa_events(ctx: _Context) -> list[dict]:
    """`skrining_jiwa`: a mental-health instrument (SRQ-20, SDQ, ASSIST) recorded at 15+."""
    out = []
    for enc in ctx.encs:
        for screening in enc.get("screenings") or []:
            if screening.get("instrument") in ctx.rules["jiwa_instruments"] \
                    and ctx.age_years_in(enc["_date"], "usia_15_plus"):
                out.append(ctx.event("skrining_jiwa", enc["_date"], enc,
                                     value=screening["instrument"]))
    return out


def tb_events(ctx: _Context) -> list[dict]:
    """`terduga_tb`: a TB symptom screening whose result (screening_result, the visit's own
    finding) is one the instrument refers; `tb_diperiksa`: the first visit on or after it
    with a TB diagnosis (A15-A19) or a recorded examination (TCM, BTA, rontgen)."""
    rules = ctx.rules
    spec = ctx.config["instruments"]["instruments"].get(rules["tb_instrument"])
    if spec is None:
        return []
    out = []
    for enc in ctx.encs:
        for screening in enc.get("screenings") or []:
            if screening.get("instrument") != rules["tb_instrument"]:
                continue
            found = screening_result(ctx.config, person=ctx.person, date=enc["date"],
                                     screening=screening)
            if found is None or found["code"] not in spec.get("refer", []):
                continue
            out.append(ctx.event("terduga_tb", enc["_date"], enc, value=found["code"]))
            examined = next((later for later in ctx.encs
                             if later["_date"] >= enc["_date"] and _tb_examined(rules, later)),
                            None)
            if examined:
                out.append(ctx.event("tb_diperiksa", examined["_date"], examined))
    return out


def _tb_examined(rules: dict, enc: dict) -> bool:
    return (hist.has_service(enc, rules["tb_examined_services"])
            or hist.has_diagnosis(enc, rules["tb_examined_icd10"]))


EVENT_DERIVERS: tuple[Callable[[_Context], list[dict]], ...] = (
    anc_events, delivery_events, neonatal_events, immunization_events, vitamin_a_events,
    screening_events, jiwa_events, tb_events)

FAMILY_GATES: dict[Callable[[_Context], list[dict]], Callable[[_Context], bool]] = {
    # Only shortcuts, each a condition without which the deriver finds nothing (a man, a
    # child, a woman never registered pregnant has no pregnancy document; most adults have
    # no vaccination recorded): the families a person cannot have are not set up at all
    # (config lookups, ANC minimums, schedules). tests/pws/test_facts_perf.py checks on the
    # generated demo that the facts with and without the gates are the same.
    anc_events: lambda ctx: bool(ctx.pregnancies),
    delivery_events: lambda ctx: bool(ctx.pregnancies),
    immunization_events: lambda ctx: any(enc.get("immunizations") for enc in ctx.encs),
}

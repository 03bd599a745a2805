"""Data-quality rules over one person's record: values that cannot be true or contradict each
other (JS twin: quality.js; rules and their sources in config/ilp/quality.json; docs/review.md
"Rules").

`quality_flags` is what the Puskesmas review queue shows (backend/review/flags.py keeps them
as the `quality_flags` projection); `entry_warnings` is the same evaluation for one draft on
the tablet, limited to the rules marked `warn_on_entry`. A flag is a warning, never a refusal:
the record is stored as typed. Every judgement that already has an evaluator is the
evaluator's (z-scores and the lying/standing correction: growth_zscores; which encounters
count: history.encounters, so a corrected encounter carries no flags, its correction does).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from backend.clinical import history as hist
from backend.clinical.dates import completed_months, days_in_month, parse_date, shift_days
from backend.clinical.errors import ClinicalInputError
from backend.clinical.finding_text import number
from backend.clinical.growth import growth_zscores, round_half_up
from backend.clinical.pregnancy import hpht_of

DRAFT_ID = "draft"


def quality_flags(config: dict, person: dict, records: list[dict] | None = None) -> list[dict]:
    """[{doc_id, doc_type, rule, field, detail, date}] of every rule firing on the person
    body and their encounter and pregnancy bodies (each with `_id`), ordered by record date,
    then record id, then the rule's place in quality.json."""
    ctx = _Record(config, person, records or [])
    found = []
    for order, rule in enumerate(config["quality"]["rules"]):
        try:
            hits = KINDS[rule["kind"]](ctx, rule)
        except ClinicalInputError:
            continue    # a value the evaluator cannot read: nothing to judge this rule on
        for doc, field, detail in hits:
            found.append((order, {"doc_id": doc.get("_id"), "doc_type": doc.get("type"),
                                  "rule": rule["id"], "field": field, "detail": detail,
                                  "date": record_date(doc)}))
    found.sort(key=lambda pair: (pair[1]["date"] or "", pair[1]["doc_id"] or "", pair[0]))
    return [flag for _, flag in found]


def entry_warnings(config: dict, person: dict, history: list[dict] | None = None,
                   draft: dict | None = None) -> list[dict]:
    """[{rule, field, label, detail}] of the `warn_on_entry` rules firing on `draft` (an
    encounter being recorded for `person`, or the person being registered or edited), judged
    against the person's stored `history` as the review will judge it after sync."""
    if draft is None or draft.get("type") == "person":
        person = {**(draft or person), "type": "person", "_id": DRAFT_ID}
        records = list(history or [])
    else:
        records = [*(history or []), {"type": "encounter", **draft, "_id": DRAFT_ID}]
    rules = {rule["id"]: rule for rule in config["quality"]["rules"] if rule["warn_on_entry"]}
    try:
        flags = quality_flags(config, person, records)
    except ClinicalInputError:
        return []    # a draft without a readable date or birth date: nothing to judge yet
    return [{"rule": flag["rule"], "field": flag["field"],
             "label": rules[flag["rule"]]["label"]["id"], "detail": flag["detail"]}
            for flag in flags if flag["doc_id"] == DRAFT_ID and flag["rule"] in rules]


def record_date(doc: dict) -> str | None:
    """The date a record belongs to (its month in the queue and in the counts): an encounter's
    date; a pregnancy's HPHT, else the day it was recorded; a person's registration day."""
    if doc.get("type") == "encounter":
        return doc.get("date")
    if doc.get("type") == "pregnancy" and doc.get("hpht"):
        return doc["hpht"]
    created = doc.get("created_at")
    return created[:10] if isinstance(created, str) else None


def day_text(config: dict, day: date) -> str:
    """"3 Okt 2026", the way the PWA shows a date in id-ID."""
    return f"{day.day} {config['quality']['months'][day.month - 1]} {day.year}"


class _Record:
    """One person's record as every rule reads it, with the growth evaluation of each
    encounter computed once."""

    def __init__(self, config: dict, person: dict, records: list[dict]):
        self.config, self.person = config, person
        self.birth = parse_date(person.get("birth_date"), "person.birth_date")
        self.encs = hist.encounters(records, date.max)
        self.pregnancies = hist.pregnancies(records)
        self._growth: dict[int, dict | None] = {}

    def months(self, enc: dict) -> int | None:
        """Completed months of age at the encounter (None before birth), once per encounter."""
        if "_months" not in enc:
            enc["_months"] = (None if enc["_date"] < self.birth
                              else completed_months(self.birth, enc["_date"]))
        return enc["_months"]

    def growth(self, enc: dict) -> dict | None:
        """growth_zscores of the encounter's weight and height (None if it has neither, or
        the evaluator cannot read them)."""
        key = id(enc)
        if key not in self._growth:
            measured = enc.get("measurements") or {}
            result = None
            if enc["_date"] >= self.birth and (measured.get("weight_kg") is not None
                                               or measured.get("height_cm") is not None):
                try:
                    result = growth_zscores(
                        self.config, sex=self.person.get("sex"),
                        weight_kg=measured.get("weight_kg"), height_cm=measured.get("height_cm"),
                        measure=measured.get("length_or_height"),
                        oedema=bool(measured.get("oedema")),
                        birth_date=self.person.get("birth_date"), date=enc["date"])
                except ClinicalInputError:
                    result = None
            self._growth[key] = result
        return self._growth[key]

    def day(self, value: date) -> str:
        return day_text(self.config, value)


Hit = tuple[dict, str, str]


def _measured(enc: dict, name: str) -> object:
    return (enc.get("measurements") or {}).get(name)


def implausible_z(ctx: _Record, rule: dict) -> list[Hit]:
    """WHO flags: a z-score outside growth.json `implausible` (growth_zscores marks it)."""
    hits = []
    limits = ctx.config["growth"]["implausible"]
    for enc in ctx.encs:
        result = ctx.growth(enc)
        if result is None:
            continue
        fired = [(index, entry) for index in rule["params"]["indices"]
                 if (entry := result["indices"].get(index)) and entry.get("implausible")]
        if not fired:
            continue
        text = "; ".join(f"{entry['name']} z {number(entry['z'])} (batas "
                         f"{number(limits[index]['lt'])} sampai +{number(limits[index]['gt'])})"
                         for index, entry in fired)
        weight_only = all(index == "bb_u" for index, _ in fired)
        height_only = all(index == "tb_u" for index, _ in fired)
        field = ("measurements.weight_kg" if weight_only else
                 "measurements.height_cm" if height_only else "measurements")
        values = _weight_height_text(enc)
        hits.append((enc, field, f"{text}; {values}"))
    return hits


def _weight_height_text(enc: dict) -> str:
    parts = []
    if _measured(enc, "weight_kg") is not None:
        parts.append(f"berat {number(_measured(enc, 'weight_kg'))} kg")
    if _measured(enc, "height_cm") is not None:
        parts.append(f"tinggi {number(_measured(enc, 'height_cm'))} cm")
    return ", ".join(parts)


def height_shrink(ctx: _Record, rule: dict) -> list[Hit]:
    """A length/height lower than the previous one by more than the tolerance, both after
    the evaluator's lying/standing correction."""
    params = rule["params"]
    hits = []
    previous = None
    for enc in ctx.encs:
        result = ctx.growth(enc)
        if result is None or result["height_cm"] is None:
            continue
        height = result["height_cm"]
        if previous is not None and previous[0]["_date"] < enc["_date"]:
            adult = (ctx.months(enc) or 0) >= params["adult_from_months"]
            tolerance = params["adult_tolerance_cm"] if adult else params["tolerance_cm"]
            if previous[1] - height > tolerance:
                before = previous[0]
                hits.append((enc, "measurements.height_cm",
                             f"Tinggi {_height_text(enc, height)}, sebelumnya "
                             f"{_height_text(before, previous[1])} pada "
                             f"{ctx.day(before['_date'])} (toleransi {number(tolerance)} cm)"))
        previous = (enc, height)
    return hits


def _height_text(enc: dict, corrected: float) -> str:
    """"84 cm (setara 83,3 cm)" when the lying/standing correction changed it."""
    typed = _measured(enc, "height_cm")
    same = abs(typed - corrected) < 1e-9
    return f"{number(typed)} cm" + ("" if same else f" (setara {number(corrected)} cm)")


def weight_jump(ctx: _Record, rule: dict) -> list[Hit]:
    """A weight changed by more than the age band's share of the previous weighing within
    `within_days`."""
    params = rule["params"]
    hits = []
    previous = None
    for enc in ctx.encs:
        weight = _measured(enc, "weight_kg")
        if weight is None or enc["_date"] < ctx.birth:
            continue
        if previous is not None and previous["_date"] < enc["_date"] and \
                (enc["_date"] - previous["_date"]).days <= params["within_days"]:
            before = _measured(previous, "weight_kg")
            share = _band_share(params["bands"], ctx.months(enc) or 0)
            change = (weight - before) / before
            if abs(change) > share:
                percent = int(round_half_up(abs(change) * 100, 0))
                hits.append((enc, "measurements.weight_kg",
                             f"Berat {number(weight)} kg, sebelumnya {number(before)} kg pada "
                             f"{ctx.day(previous['_date'])} ({'naik' if change > 0 else 'turun'}"
                             f" {percent}%, batas {int(round_half_up(share * 100, 0))}%)"))
        previous = enc
    return hits


def _band_share(bands: list[dict], months: int) -> float:
    return next(band["share"] for band in bands
                if band["lt_months"] is None or months < band["lt_months"])


def pulse_pressure(ctx: _Record, rule: dict) -> list[Hit]:
    params = rule["params"]
    hits = []
    for enc in ctx.encs:
        sbp, dbp = _measured(enc, "sbp"), _measured(enc, "dbp")
        if sbp is None or dbp is None:
            continue
        gap = sbp - dbp
        if gap < params["min_mmhg"] or gap > params["max_mmhg"]:
            bound = (f"kurang dari {params['min_mmhg']}" if gap < params["min_mmhg"]
                     else f"lebih dari {params['max_mmhg']}")
            hits.append((enc, "measurements.sbp",
                         f"TD {number(sbp)}/{number(dbp)} mmHg: selisih {number(gap)} mmHg, "
                         f"{bound} mmHg"))
    return hits


def glucose_without_type(ctx: _Record, rule: dict) -> list[Hit]:
    return [(enc, "measurements.glucose_type",
             f"Gula darah {number(_measured(enc, 'glucose_mgdl'))} mg/dL tanpa keterangan "
             "GDS, GDP atau GD2PP")
            for enc in ctx.encs
            if _measured(enc, "glucose_mgdl") is not None and not _measured(enc, "glucose_type")]


def hba1c_glucose(ctx: _Record, rule: dict) -> list[Hit]:
    """ADAG: the average glucose an HbA1c implies, against a same-visit fasting glucose."""
    params = rule["params"]
    hits = []
    for enc in ctx.encs:
        hba1c, glucose = _measured(enc, "hba1c_pct"), _measured(enc, "glucose_mgdl")
        kind = _measured(enc, "glucose_type")
        if hba1c is None or glucose is None or kind not in params["glucose_types"]:
            continue
        average = params["slope"] * hba1c + params["intercept"]
        if abs(glucose - average) > params["max_difference_mgdl"]:
            hits.append((enc, "measurements.hba1c_pct",
                         f"HbA1c {number(hba1c)}% (rata-rata gula sekitar "
                         f"{number(average)} mg/dL) tetapi {kind} "
                         f"{number(glucose)} mg/dL"))
    return hits


def _nik_date(nik: object, offset: int) -> tuple[int, int, int, str] | None:
    """(day, month, two-digit year, sex) written in digits 7-12 of a 16-digit NIK; None when
    there is no NIK. The day may be impossible; the caller judges it."""
    if not isinstance(nik, str) or len(nik) != 16 or not nik.isdigit():
        return None
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > offset
    return (day - offset if female else day), month, year, ("P" if female else "L")


def _century(two_digits: int, near: int) -> int:
    """The year ending in `two_digits` closest to `near` (the recorded birth year)."""
    base = near - near % 100 + two_digits
    return min((base - 100, base, base + 100), key=lambda year: abs(year - near))


def nik_birth_date(ctx: _Record, rule: dict) -> list[Hit]:
    person, birth = ctx.person, ctx.birth
    nik = person.get("nik")
    written = _nik_date(nik, rule["params"]["female_day_offset"])
    if written is None:
        return []
    day, month, two_digits, _ = written
    year = _century(two_digits, birth.year)
    if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month)):
        return [(person, "nik", f"NIK {nik} memuat tanggal lahir yang tidak ada "
                                f"({nik[6:8]}-{nik[8:10]}-{nik[10:12]})")]
    said = date(year, month, day)
    if person.get("birth_date_estimated"):
        tolerance = rule["params"]["estimated_year_tolerance"]
        if abs(year - birth.year) <= tolerance:
            return []
        return [(person, "birth_date", f"NIK menyebut lahir {ctx.day(said)}, tanggal lahir "
                                       f"perkiraan {ctx.day(birth)}")]
    if said == birth:
        return []
    return [(person, "birth_date", f"NIK menyebut lahir {ctx.day(said)}, tercatat "
                                   f"{ctx.day(birth)}")]


def nik_sex(ctx: _Record, rule: dict) -> list[Hit]:
    person = ctx.person
    written = _nik_date(person.get("nik"), rule["params"]["female_day_offset"])
    if written is None or not 1 <= written[0] <= 31 or written[3] == person.get("sex"):
        return []
    said = "perempuan" if written[3] == "P" else "laki-laki"
    recorded = "perempuan" if person.get("sex") == "P" else "laki-laki"
    return [(person, "sex", f"NIK menandakan {said} (tanggal {person['nik'][6:8]}), "
                            f"jenis kelamin tercatat {recorded}")]


def pregnancy_without_hpht(ctx: _Record, rule: dict) -> list[Hit]:
    return [(doc, "hpht", "Kehamilan tanpa HPHT dan tanpa HPL: umur kehamilan dan K1-K6 "
                          "tidak bisa dihitung")
            for doc in ctx.pregnancies
            if doc.get("status") in rule["params"]["statuses"]
            and not doc.get("hpht") and not doc.get("hpl")]


def before_birth(ctx: _Record, rule: dict) -> list[Hit]:
    slack = rule["params"]["estimated_tolerance_days"] if ctx.person.get(
        "birth_date_estimated") else 0
    limit = shift_days(ctx.birth, -slack)
    return [(enc, "date", f"Kunjungan {ctx.day(enc['_date'])}, sebelum tanggal lahir "
                          f"{ctx.day(ctx.birth)}")
            for enc in ctx.encs if enc["_date"] < limit]


def after_death(ctx: _Record, rule: dict) -> list[Hit]:
    if not ctx.person.get("deceased_date"):
        return []
    died = parse_date(ctx.person["deceased_date"], "person.deceased_date")
    return [(enc, "date", f"Kunjungan {ctx.day(enc['_date'])}, setelah tanggal meninggal "
                          f"{ctx.day(died)}")
            for enc in ctx.encs if enc["_date"] > died]


def missing_weight(ctx: _Record, rule: dict) -> list[Hit]:
    params = rule["params"]
    return [(enc, "measurements.weight_kg",
             f"Balita umur {ctx.months(enc)} bulan di Posyandu {ctx.day(enc['_date'])} tanpa "
             "berat badan")
            for enc in ctx.encs
            if enc.get("setting") in params["settings"] and ctx.months(enc) is not None
            and (enc.get("posyandu_session") or not params["session_only"])
            and ctx.months(enc) < params["until_age_months"]
            and _measured(enc, "weight_kg") is None]


def missing_measure(ctx: _Record, rule: dict) -> list[Hit]:
    until = rule["params"]["until_age_months"]
    return [(enc, "measurements.length_or_height",
             f"Panjang/tinggi {number(_measured(enc, 'height_cm'))} cm umur {ctx.months(enc)} "
             "bulan tanpa keterangan terlentang atau berdiri")
            for enc in ctx.encs
            if _measured(enc, "height_cm") is not None
            and not _measured(enc, "length_or_height")
            and ctx.months(enc) is not None and ctx.months(enc) < until]


def _pregnancy_spans(ctx: _Record, max_days: int) -> list[tuple[dict, date | None, date | None]]:
    """(pregnancy, first day, last day) of each pregnancy: HPHT (or HPL - 280 days) to the
    delivery, else `max_days` later; unknown bounds are None."""
    spans = []
    for doc in ctx.pregnancies:
        raw = hpht_of(ctx.config, doc)
        start = parse_date(raw, "pregnancy.hpht") if raw else None
        delivered = (doc.get("delivery") or {}).get("date")
        end = parse_date(delivered, "delivery.date") if delivered else (
            shift_days(start, max_days) if start else None)
        spans.append((doc, start, end))
    return spans


def _covers(span: tuple[dict, date | None, date | None], day: date) -> bool:
    _, start, end = span
    return start is None or (start <= day and (end is None or day <= end))


def anc_without_pregnancy(ctx: _Record, rule: dict) -> list[Hit]:
    """An ANC service (or a link to a pregnancy) that no pregnancy of the person covers: no
    K1-K6 can count it."""
    codes = ctx.config["maternal"]["anc"]["service_codes"]
    spans = _pregnancy_spans(ctx, rule["params"]["pregnancy_max_days"])
    hits = []
    for enc in ctx.encs:
        if not (hist.has_service(enc, codes) or enc.get("pregnancy")):
            continue
        own = [s for s in spans if not enc.get("pregnancy") or s[0].get("_id") == enc["pregnancy"]]
        if not any(_covers(span, enc["_date"]) for span in own):
            hits.append((enc, "pregnancy", f"Layanan ANC {ctx.day(enc['_date'])} tanpa catatan "
                                           "kehamilan yang mencakup tanggal itu"))
    return hits


def anc_unlinked(ctx: _Record, rule: dict) -> list[Hit]:
    params = rule["params"]
    maternal = ctx.config["maternal"]
    codes = maternal["anc"]["service_codes"] + maternal["kf"]["service_codes"]
    spans = [span for span in _pregnancy_spans(ctx, params["pregnancy_max_days"])
             if span[1] is not None]
    hits = []
    for enc in ctx.encs:
        if enc.get("cluster") not in params["clusters"] or enc.get("pregnancy") \
                or hist.has_service(enc, codes):
            continue    # linked, ANC, or a postnatal (KF) visit
        # before the delivery day: the visit on it is the delivery
        during = next((span for span in spans if span[1] <= enc["_date"]
                       and (span[2] is None or enc["_date"] < span[2])), None)
        if during is not None:
            hits.append((enc, "pregnancy",
                         f"Kunjungan {ctx.day(enc['_date'])} saat hamil (HPHT "
                         f"{ctx.day(during[1])}) tidak ditautkan ke kehamilan dan tanpa "
                         "layanan ANC"))
    return hits


KINDS: dict[str, Callable[[_Record, dict], list[Hit]]] = {
    "implausible_z": implausible_z, "height_shrink": height_shrink, "weight_jump": weight_jump,
    "pulse_pressure": pulse_pressure, "glucose_without_type": glucose_without_type,
    "hba1c_glucose": hba1c_glucose, "nik_birth_date": nik_birth_date, "nik_sex": nik_sex,
    "pregnancy_without_hpht": pregnancy_without_hpht, "before_birth": before_birth,
    "after_death": after_death, "missing_weight": missing_weight,
    "missing_measure": missing_measure, "anc_without_pregnancy": anc_without_pregnancy,
    "anc_unlinked": anc_unlinked,
}
"""What evaluates each `kind` of quality.json: a rule's id and parameters are data, the way
it reads a record is here."""

"""Data-quality rules on identity, dates and pregnancies (config/ilp/quality.json kinds:
nik_birth_date, nik_sex, pregnancy_without_hpht, before_birth, after_death,
anc_without_pregnancy, anc_unlinked; JS twin: quality-records.js)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from backend.clinical import history as hist
from backend.clinical.dates import days_in_month, parse_date, shift_days
from backend.clinical.pregnancy import hpht_of
from backend.clinical.quality_measures import Hit

if TYPE_CHECKING:
    from backend.clinical.quality import Record


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


def nik_birth_date(ctx: Record, rule: dict) -> list[Hit]:
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


def nik_sex(ctx: Record, rule: dict) -> list[Hit]:
    person = ctx.person
    written = _nik_date(person.get("nik"), rule["params"]["female_day_offset"])
    if written is None or not 1 <= written[0] <= 31 or written[3] == person.get("sex"):
        return []
    said = "perempuan" if written[3] == "P" else "laki-laki"
    recorded = "perempuan" if person.get("sex") == "P" else "laki-laki"
    return [(person, "sex", f"NIK menandakan {said} (tanggal {person['nik'][6:8]}), "
                            f"jenis kelamin tercatat {recorded}")]


def pregnancy_without_hpht(ctx: Record, rule: dict) -> list[Hit]:
    return [(doc, "hpht", "Kehamilan tanpa HPHT dan tanpa HPL: umur kehamilan dan K1-K6 "
                          "tidak bisa dihitung")
            for doc in ctx.pregnancies
            if doc.get("status") in rule["params"]["statuses"]
            and not doc.get("hpht") and not doc.get("hpl")]


def before_birth(ctx: Record, rule: dict) -> list[Hit]:
    """The write path refuses a new visit before birth (backend/sync/references.py); this
    finds the visits a birth date edited later leaves before it."""
    return [(enc, "date", f"Kunjungan {ctx.day(enc['_date'])}, sebelum tanggal lahir "
                          f"{ctx.day(ctx.birth)}")
            for enc in ctx.encs if enc["_date"] < ctx.birth]


def after_death(ctx: Record, rule: dict) -> list[Hit]:
    if not ctx.person.get("deceased_date"):
        return []
    died = parse_date(ctx.person["deceased_date"], "person.deceased_date")
    return [(enc, "date", f"Kunjungan {ctx.day(enc['_date'])}, setelah tanggal meninggal "
                          f"{ctx.day(died)}")
            for enc in ctx.encs if enc["_date"] > died]


def _pregnancy_spans(ctx: Record, max_days: int) -> list[tuple[dict, date | None, date | None]]:
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


def anc_without_pregnancy(ctx: Record, rule: dict) -> list[Hit]:
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


def anc_unlinked(ctx: Record, rule: dict) -> list[Hit]:
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

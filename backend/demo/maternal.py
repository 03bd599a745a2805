"""Pregnancies, ANC contacts, deliveries and the neonatal (KN) and postnatal (KF) visits.

Every baby born during the records has a delivered pregnancy for its mother; about 2 % of
women 15-49 are pregnant at `today`. ANC follows the 2-1-3 pattern with doctors at K1 and K5
(Permenkes 21/2021, docs/domain.md §5), with the gaps real registers show: a fifth start late, and
each later contact is missed now and then. HPL = HPHT + 280 days.
"""

from __future__ import annotations

import datetime as dt

from backend.demo import growth, immunization, instruments
from backend.demo.common import after, chance, clamp, head, new_id, workday
from backend.demo.model import Member
from backend.demo.places import HOSPITAL
from backend.demo.staff import PMB_NAME
from backend.demo.village import Village

ONGOING_SHARE = 0.02
# (first day, last day after HPHT, by a doctor, probability) for contacts after the first.
_LATER_CONTACTS = ((100, 170, False, 0.9), (180, 210, False, 0.85), (215, 245, True, 0.8),
                   (250, 275, False, 0.75))
_PLACES = (("rs", 28), ("puskesmas", 27), ("pmb", 20), ("klinik", 5), ("pustu", 8),
           ("rumah", 12))
# Where the first neonatal/postnatal visit happens, by place of delivery.
_FIRST_VISIT_SETTING = {"rs": "fktp", "pmb": "fktp", "klinik": "fktp", "puskesmas": "puskesmas",
                        "pustu": "pustu", "rumah": "home"}
# (KN code, KF code, first day, last day, setting, probability); day 0 is the birth.
_POSTNATAL = (("KN1", "KF1", 0, 1, None, 0.97), ("KN2", "KF2", 3, 7, "home", 0.85),
              ("KN3", "KF3", 8, 28, "pustu", 0.75), (None, "KF4", 29, 42, "pustu", 0.6))


def histories(village: Village) -> None:
    for baby in village.members():
        if baby.birth >= village.start and baby.mother is not None:
            hpht = baby.birth - dt.timedelta(days=round(clamp(village.rng.gauss(276, 8), 245,
                                                                  295)))
            _pregnancy(village, baby.mother, hpht, baby)
    for woman in _expecting(village):
        hpht = village.today - dt.timedelta(days=village.rng.randint(35, 280))
        _pregnancy(village, woman, hpht, None)


def _expecting(village: Village) -> list[Member]:
    """Married women 15-49 without a baby under 15 months, ~2 % of all women 15-49."""
    today, rng = village.today, village.rng
    women = [m for m in village.members() if m.sex == "P" and 15 <= m.age(today) <= 49]
    recent = {m.mother.id for m in village.members()
              if m.mother and (today - m.birth).days < 450}
    eligible = [w for w in women if w.relation in {"istri", "menantu"} and w.id not in recent
                and w.age(today) <= 44]
    chosen = []
    for _ in range(min(len(eligible), round(ONGOING_SHARE * len(women)))):
        weights = [1.0 if w.age(today) < 35 else 0.4 for w in eligible]
        chosen.append(eligible.pop(rng.choices(range(len(eligible)), weights)[0]))
    return chosen


def _pregnancy(village: Village, woman: Member, hpht: dt.date, baby: Member | None) -> None:
    rng = village.rng
    pregnancy_id = new_id(rng, "pregnancy")
    end = baby.birth - dt.timedelta(days=1) if baby else village.today
    woman.health.pregnancies.append((hpht, end))
    older = [c for c in village.members() if c.mother is woman and c.birth < hpht]
    para = len(older) + (1 if woman.age(hpht) > 35 and chance(rng, 0.3) else 0)
    abortus = int(chance(rng, 0.1))
    contacts = _anc(village, woman, pregnancy_id, hpht, end)
    first_day = min([dt.date.fromisoformat(c["date"]) for c in contacts] +
                    [baby.birth if baby else village.today])
    by = village.staff.bidan.username
    doc = {**head(rng, "pregnancy", village.desa.code, first_day, by, pregnancy_id),
           "person": woman.id, "hpht": hpht.isoformat(),
           "hpl": (hpht + dt.timedelta(days=280)).isoformat(), "gravida": para + abortus + 1,
           "para": para, "abortus": abortus, "status": "ongoing"}
    risks = _risk_factors(woman, hpht, para + abortus + 1, contacts)
    if risks:
        doc["risk_factors"] = risks
    if not baby:
        _missed_contact(village, woman, hpht, contacts)
    else:
        delivery = _delivery(village, woman, baby)
        stamp = village.stamp(min(village.today, baby.birth + dt.timedelta(days=1)))
        doc.update(status="delivered", delivery=delivery, updated_at=stamp, updated_by=by,
                   field_ts={"status": stamp, "delivery": stamp})
        _postnatal(village, woman, baby, delivery["place_type"])
    village.docs.append(doc)


def _anc(village: Village, woman: Member, pregnancy_id: str, hpht: dt.date,
         end: dt.date) -> list[dict]:
    """The ANC contacts that fall inside the records, numbered K1, K2, ... in order."""
    rng = village.rng
    first = rng.randint(42, 84) if chance(rng, 0.8) else rng.randint(98, 160)
    plan = [(first, True)]
    if first <= 69 and chance(rng, 0.7):
        plan.append((rng.randint(first + 21, 90), False))
    plan += [(rng.randint(lo, hi), doctor) for lo, hi, doctor, p in _LATER_CONTACTS
             if lo > first and chance(rng, p)]
    # Placing a contact on a Posyandu day can reorder it, so number contacts by real date.
    visits = sorted({_when_where(village, woman, hpht + dt.timedelta(days=offset), doctor)
                     for offset, doctor in plan})
    return [_contact(village, woman, pregnancy_id, day, setting, number, hpht)
            for number, (day, setting) in enumerate(visits, start=1)
            if village.start <= day <= min(end, village.today)]


def _when_where(village: Village, woman: Member, day: dt.date,
                doctor: bool) -> tuple[dt.date, str]:
    """Doctor contacts at the Puskesmas; the others at the Pustu or on the Posyandu day."""
    rng = village.rng
    setting = "puskesmas" if doctor else rng.choice(("posyandu", "pustu", "pustu"))
    session_day = village.posyandu_day(woman, day) if setting == "posyandu" else None
    if session_day:
        return session_day, setting
    return workday(rng, day, day + dt.timedelta(days=2)), (
        "puskesmas" if doctor else "pustu")


def _contact(village: Village, woman: Member, pregnancy_id: str, day: dt.date, setting: str,
             number: int, hpht: dt.date) -> dict:
    rng, health = village.rng, woman.health
    weeks = (day - hpht).days / 7
    base = health.bmi * (health.height_cm / 100) ** 2 if health.bmi else rng.gauss(52, 8)
    sbp = round(clamp(health.sbp - 8 + rng.gauss(0, 6), 90, 200)) if health.sbp else round(
        rng.gauss(112, 9))
    measured = {"weight_kg": round(base + 0.45 * max(0.0, weeks - 13) + rng.gauss(0, 0.6), 1),
                "sbp": sbp, "dbp": round(clamp(sbp * 0.62 + rng.gauss(2, 5), 50, sbp - 20))}
    if number == 1:
        measured.update(height_cm=round(health.height_cm or rng.gauss(152, 5.5), 1),
                        muac_cm=round(rng.gauss(26, 2.6), 1),
                        hb_gdl=round(rng.gauss(11.6, 1.1), 1))
    elif weeks > 25 and number >= 4 and chance(rng, 0.5):
        measured["hb_gdl"] = round(rng.gauss(11.0, 1.1), 1)
    services = [{"code": "anc", "detail": f"K{number}"}, {"code": "ttd", "quantity": 30}]
    if setting == "puskesmas":
        services += [{"code": "anc_dokter"}, {"code": "usg"}]
    screenings = [] if number > 1 else [
        instruments.srq20(rng, health.distressed),
        instruments.tb_symptoms(rng, "A15.0" in health.conditions, False, False)]
    danger = measured["sbp"] >= 140 or measured.get("hb_gdl", 12) < 8
    referral = {"to": HOSPITAL, "reason": "Hipertensi dalam kehamilan atau anemia berat",
                "urgent": measured["sbp"] >= 160} if danger else None
    return village.visit(woman, day, setting, "2", clinical=True, pregnancy=pregnancy_id,
                         measurements=measured, services=services, screenings=screenings,
                         referral=referral)


def _missed_contact(village: Village, woman: Member, hpht: dt.date,
                    contacts: list[dict]) -> None:
    """The monthly PWS review: a pregnant woman past 12 weeks not seen for over 45 days."""
    today = village.today
    last = max((dt.date.fromisoformat(c["date"]) for c in contacts), default=hpht)
    if (today - hpht).days > 84 and (today - last).days > 45:
        village.find(woman, today.replace(day=1), "Ibu hamil belum kontak ANC bulan ini",
                     "pws:k4", "2", "anc")


def _risk_factors(woman: Member, hpht: dt.date, gravida: int, contacts: list[dict]) -> list[str]:
    age = woman.age(hpht)
    first = next((c["measurements"] for c in contacts if c["services"][0]["detail"] == "K1"), {})
    checks = ((age >= 35, "usia ≥ 35 tahun"), (age < 20, "usia < 20 tahun"),
              (gravida >= 4, "grande multipara"), (first.get("muac_cm", 99) < 23.5, "KEK"),
              (first.get("hb_gdl", 99) < 11, "anemia"), ("I10" in woman.health.conditions,
                                                          "hipertensi"))
    return [label for hit, label in checks if hit]


def _delivery(village: Village, woman: Member, baby: Member) -> dict:
    rng = village.rng
    names, weights = zip(*_PLACES, strict=True)
    place = rng.choices(names, weights)[0]
    attendant = "dokter" if place == "rs" and chance(rng, 0.7) else (
        "dukun" if place == "rumah" and chance(rng, 0.3) else "bidan")
    mode = "spontan"
    if place == "rs":
        mode = rng.choices(("spontan", "sc", "tindakan"), (50, 45, 5))[0]
    woman.health.delivery_places.append(place)
    return {"date": baby.birth.isoformat(), "place_type": place, "attendant": attendant,
            "mode": mode, "live_births": 1, "stillbirths": 0, "babies": [baby.id]}


def _postnatal(village: Village, mother: Member, baby: Member, place: str) -> None:
    rng = village.rng
    for kn, kf, first, last, setting, probability in _POSTNATAL:
        day = baby.birth + dt.timedelta(days=rng.randint(first, last))
        if day > village.today or not chance(rng, probability):
            continue
        where = setting or _FIRST_VISIT_SETTING[place]
        extra = _transcribed(village, place) if kn == "KN1" else {}
        if kn:
            _neonatal(village, baby, day, kn, where, extra)
        services = [{"code": "kf", "detail": kf}]
        if kf == "KF1":
            services.append({"code": "vitamin_a", "detail": "ibu nifas 2 kapsul merah",
                             "quantity": 2})
        if kf == "KF4" and mother.health.family_planning:
            services.append({"code": "kb", "detail": "KB pasca persalinan"})
        sbp = round(rng.gauss(114, 10))
        village.visit(mother, day, where, "2", clinical=True, services=services,
                      measurements={"sbp": sbp, "dbp": round(sbp * 0.64),
                                    "temp_c": round(rng.gauss(36.8, 0.3), 1)}, **extra)


def _transcribed(village: Village, place: str) -> dict:
    """Hospital births: the Pustu midwife copies the first visit from the discharge letter
    (the encounter settings have no hospital, so it is filed under `fktp`)."""
    if place == "rs":
        return {"provider": HOSPITAL, "by": village.staff.bidan.username,
                "notes": "Disalin dari surat keterangan pulang rumah sakit"}
    if place == "pmb":
        return {"provider": PMB_NAME}
    return {}


def _neonatal(village: Village, baby: Member, day: dt.date, code: str, where: str,
              extra: dict) -> None:
    rng, health = village.rng, baby.health
    measured = growth.birth_measurements(rng, baby.sex, health) if code == "KN1" else (
        growth.measure(rng, baby.sex, baby.birth, day, health, health.whz, head=False))
    records = []
    hb0 = immunization.dose("HB0", 1)
    in_time = day < after(baby.birth, hb0.catch_up_until) and ("HB0", 1) not in health.vaccines
    if in_time and chance(rng, 0.5 if health.immunization == "refuse" else 0.93):
        health.vaccines[("HB0", 1)] = day
        records.append(immunization.record(hb0, baby.birth, day))
    village.visit(baby, day, where, "2", clinical=True, measurements=measured,
                  immunizations=records, services=[{"code": "kn", "detail": code}], **extra)

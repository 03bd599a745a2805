"""Every event code and the growth rows of backend/pws/facts.py on hand-built records, with
the boundaries the clinical rules draw (config/ilp): the last day of trimester 1, a dose one
day too early, IDL at 11 months 30 days vs 12 months, a first weighing, a skipped month."""

from __future__ import annotations

import datetime as dt
import itertools

from backend.clinical import default_config, growth_zscores, score_instrument, weight_trend
from backend.clinical.dates import add_duration
from backend.clinical.schedules import applicable_series
from backend.pws.facts import FACTS, person_facts

CFG = default_config()
DESA = "3204190001"
_ids = itertools.count(1)


def person(birth: str, sex: str = "P", **fields) -> dict:
    return {"_id": "person:p1", "type": "person", "desa": DESA, "name": "Uji", "sex": sex,
            "birth_date": birth, **fields}


def enc(day: object, setting: str = "posyandu", **fields) -> dict:
    return {"_id": f"encounter:{next(_ids):04d}", "type": "encounter", "person": "person:p1",
            "desa": DESA, "date": str(day), "setting": setting, **fields}


def service(day: object, *codes: str, **fields) -> dict:
    return enc(day, services=[{"code": code} for code in codes], **fields)


def events(p: dict, docs: list[dict], *codes: str) -> list[tuple[str, str]]:
    _, found = person_facts(CFG, p, docs)
    return sorted((row["event"], row["date"].isoformat()) for row in found
                  if not codes or row["event"] in codes)


def day(start: str, days: int) -> str:
    return (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()


# --- ANC: K1, K1 murni, K4, K6 ---------------------------------------------------------------

HPHT = "2026-01-01"
MOTHER = person("1996-03-03")


def pregnancy(**fields) -> dict:
    return {"_id": "pregnancy:g1", "type": "pregnancy", "person": "person:p1", "desa": DESA,
            "hpht": HPHT, "status": "ongoing", **fields}


def anc(days: int, doctor: bool = False) -> dict:
    codes = ["anc", "anc_dokter"] if doctor else ["anc"]
    return service(day(HPHT, days), *codes, setting="pustu", pregnancy="pregnancy:g1")


def test_k1_on_the_last_day_of_trimester_1_is_murni_and_the_day_after_is_not():
    last_t1 = CFG["maternal"]["pregnancy"]["trimester_start_day"]["2"] - 1   # day 90
    assert events(MOTHER, [pregnancy(), anc(last_t1)], "anc_k1", "anc_k1_murni") == [
        ("anc_k1", day(HPHT, last_t1)), ("anc_k1_murni", day(HPHT, last_t1))]
    assert events(MOTHER, [pregnancy(), anc(last_t1 + 1)], "anc_k1", "anc_k1_murni") == [
        ("anc_k1", day(HPHT, last_t1 + 1))]


def test_k1_event_carries_the_visit_setting_and_the_pregnancy():
    _, found = person_facts(CFG, MOTHER, [pregnancy(), anc(40)])
    k1 = next(row for row in found if row["event"] == "anc_k1")
    assert (k1["setting"], k1["ref_id"], k1["desa"], k1["value"]) == ("pustu", "pregnancy:g1",
                                                                        DESA, "1")


def test_k4_is_the_day_1_1_2_is_reached_and_k6_needs_2_1_3_with_two_doctor_contacts():
    four = [anc(30, doctor=True), anc(120), anc(200), anc(230)]
    assert events(MOTHER, [pregnancy(), *four], "anc_k4", "anc_k6") == [
        ("anc_k4", day(HPHT, 230))]
    # Three contacts in trimester 3 before one in trimester 2: K4 waits for trimester 2.
    assert events(MOTHER, [pregnancy(), anc(30), anc(180), anc(190), anc(200)], "anc_k4") == []
    six = [anc(30, doctor=True), anc(60), anc(120), anc(200), anc(230, doctor=True), anc(260)]
    assert events(MOTHER, [pregnancy(), *six], "anc_k6") == [("anc_k6", day(HPHT, 260))]
    no_doctor_t3 = [anc(30, doctor=True), anc(60), anc(120), anc(200), anc(230), anc(260)]
    assert events(MOTHER, [pregnancy(), *no_doctor_t3], "anc_k6") == []


def test_anc_contacts_after_the_delivery_belong_to_no_pregnancy():
    delivered = pregnancy(status="delivered", delivery={"date": day(HPHT, 100)})
    assert events(MOTHER, [delivered, anc(30), anc(120)], "anc_k1") == [
        ("anc_k1", day(HPHT, 30))]
    assert events(MOTHER, [delivered, anc(120)], "anc_k1") == []


# --- delivery, KF, KN -------------------------------------------------------------------------

BIRTH = "2026-06-10"


def test_delivery_by_a_midwife_in_a_facility_counts_and_at_home_by_a_dukun_does_not():
    facility = pregnancy(status="delivered", delivery={
        "date": BIRTH, "place_type": "puskesmas", "attendant": "bidan"})
    assert events(MOTHER, [facility], "persalinan", "persalinan_fasyankes") == [
        ("persalinan", BIRTH), ("persalinan_fasyankes", BIRTH)]
    home = pregnancy(status="delivered", delivery={
        "date": BIRTH, "place_type": "rumah", "attendant": "dukun"})
    assert events(MOTHER, [home], "persalinan", "persalinan_fasyankes") == [
        ("persalinan", BIRTH)]
    in_facility_by_dukun = pregnancy(status="delivered", delivery={
        "date": BIRTH, "place_type": "pmb", "attendant": "dukun"})
    assert events(MOTHER, [in_facility_by_dukun], "persalinan_fasyankes") == []


def test_kf_lengkap_is_the_day_of_the_fourth_visit_in_its_window():
    delivered = pregnancy(status="delivered", delivery={"date": BIRTH})
    visits = [service(day(BIRTH, d), "kf") for d in (1, 5, 20, 42)]
    assert events(MOTHER, [delivered, *visits], "kf_lengkap") == [
        ("kf_lengkap", day(BIRTH, 42))]
    late = [service(day(BIRTH, d), "kf") for d in (1, 5, 20, 43)]
    assert events(MOTHER, [delivered, *late], "kf_lengkap") == []


def test_kn1_within_48_hours_and_kn_lengkap_on_the_third_visit():
    baby = person(BIRTH, sex="L")
    assert events(baby, [service(day(BIRTH, 2), "kn")], "kn1", "kn_lengkap") == [
        ("kn1", day(BIRTH, 2))]
    assert events(baby, [service(day(BIRTH, 3), "kn")], "kn1", "kn_lengkap") == []
    visits = [service(day(BIRTH, d), "kn") for d in (1, 6, 28)]
    assert events(baby, visits, "kn1", "kn_lengkap") == [
        ("kn1", day(BIRTH, 1)), ("kn_lengkap", day(BIRTH, 28))]


# --- immunization: IDL, baduta ----------------------------------------------------------------

CHILD_BIRTH = "2025-01-15"


def basic_doses(birth: str, sex: str = "L", **moved: str) -> list[dict]:
    """Every dose IDL asks for, each on the first day of its ideal window (valid by
    construction), one dose per visit; `moved` puts a dose (by code) on another date."""
    born = dt.date.fromisoformat(birth)
    first_birthday = add_duration(born, FACTS["idl_before"])
    out = []
    for series in applicable_series(CFG, sex):
        for dose in series:
            if dose["group"] == "dasar" and add_duration(born, dose["ideal"][0]) < first_birthday:
                when = moved.get(dose["code"], add_duration(born, dose["ideal"][0]).isoformat())
                out.append(enc(when, immunizations=[{"vaccine": dose["vaccine"],
                                                     "dose": dose["dose"]}]))
    return out


def test_idl_completed_at_11_months_30_days_counts_and_at_12_months_does_not():
    child = person(CHILD_BIRTH, sex="L")
    assert events(child, basic_doses(CHILD_BIRTH, **{"MR-1": "2026-01-14"}), "idl") == [
        ("idl", "2026-01-14")]
    assert events(child, basic_doses(CHILD_BIRTH, **{"MR-1": "2026-01-15"}), "idl") == []


def test_idl_is_dated_by_the_last_basic_dose():
    child = person(CHILD_BIRTH, sex="L")
    doses = basic_doses(CHILD_BIRTH)
    last = max(d["date"] for d in doses)
    assert events(child, doses, "idl") == [("idl", last)]


def test_a_dose_one_day_before_its_minimum_age_does_not_count():
    child = person(CHILD_BIRTH, sex="L")
    six_weeks = add_duration(dt.date.fromisoformat(CHILD_BIRTH), "P6W")
    early = (six_weeks - dt.timedelta(days=1)).isoformat()
    assert events(child, basic_doses(CHILD_BIRTH, **{"DPT-HB-Hib-1": early}), "idl") == []
    assert events(child, basic_doses(CHILD_BIRTH, **{"DPT-HB-Hib-1": six_weeks.isoformat()}),
                  "idl") != []


def test_a_missing_basic_dose_means_no_idl():
    child = person(CHILD_BIRTH, sex="L")
    doses = [d for d in basic_doses(CHILD_BIRTH) if d["immunizations"][0]["vaccine"] != "BCG"]
    assert events(child, doses, "idl") == []


def test_baduta_lengkap_on_the_last_booster():
    child = person(CHILD_BIRTH, sex="L")
    boosters = [enc("2026-07-20", immunizations=[{"vaccine": "DPT-HB-Hib", "dose": 4}]),
                enc("2026-07-25", immunizations=[{"vaccine": "MR", "dose": 2}])]
    assert events(child, [*basic_doses(CHILD_BIRTH), *boosters], "baduta_lengkap") == [
        ("baduta_lengkap", "2026-07-25")]
    assert events(child, [*basic_doses(CHILD_BIRTH), boosters[0]], "baduta_lengkap") == []


# --- vitamin A ---------------------------------------------------------------------------------

def test_vitamin_a_counts_from_6_months_until_59_months():
    child = person("2026-02-10")
    assert events(child, [service("2026-08-09", "vitamin_a")], "vitamin_a") == []
    assert events(child, [service("2026-08-10", "vitamin_a")], "vitamin_a") == [
        ("vitamin_a", "2026-08-10")]
    older = person("2021-08-20")
    assert events(older, [service("2026-08-19", "vitamin_a")], "vitamin_a") == [
        ("vitamin_a", "2026-08-19")]
    assert events(older, [service("2026-08-20", "vitamin_a")], "vitamin_a") == []


# --- adults ------------------------------------------------------------------------------------

def bp(when: str, sbp: int = 130, **fields) -> dict:
    return enc(when, measurements={"sbp": sbp, "dbp": 80}, **fields)


def test_screening_by_age_group_from_the_screenings_rules():
    assert events(person("2011-03-01"), [bp("2026-02-28")], "skrining_usia_produktif") == []
    assert events(person("2011-03-01"), [bp("2026-03-01")], "skrining_usia_produktif") == [
        ("skrining_usia_produktif", "2026-03-01")]
    assert events(person("1966-03-01"), [bp("2026-02-28")],
                  "skrining_usia_produktif", "skrining_lansia") == [
        ("skrining_usia_produktif", "2026-02-28")]
    assert events(person("1966-03-01"), [bp("2026-03-01")],
                  "skrining_usia_produktif", "skrining_lansia") == [
        ("skrining_lansia", "2026-03-01")]


def test_hypertension_case_from_its_first_diagnosis_and_served_by_each_pressure_after():
    adult = person("1970-01-01", sex="L")
    docs = [bp("2026-01-10"), bp("2026-02-10", sbp=150, setting="puskesmas",
                                 diagnoses=[{"icd10": "I10"}]), bp("2026-03-10")]
    assert events(adult, docs, "ht_kasus", "ht_terlayani") == [
        ("ht_kasus", "2026-02-10"), ("ht_terlayani", "2026-02-10"),
        ("ht_terlayani", "2026-03-10")]


def test_diabetes_case_and_glucose_control():
    adult = person("1970-01-01", sex="L")
    glucose = {"glucose_mgdl": 180, "glucose_type": "GDS"}
    docs = [enc("2026-01-10", diagnoses=[{"icd10": "E11.9"}]),
            enc("2026-02-10", measurements=glucose), bp("2026-03-10")]
    assert events(adult, docs, "dm_kasus", "dm_terlayani") == [
        ("dm_kasus", "2026-01-10"), ("dm_terlayani", "2026-02-10")]


def test_skrining_jiwa_from_15_years():
    srq = {"instrument": "srq20", "result": "normal", "score": 2}
    assert events(person("2008-01-01"), [enc("2026-01-10", screenings=[srq])],
                  "skrining_jiwa") == [("skrining_jiwa", "2026-01-10")]
    sdq = {"instrument": "sdq", "result": "normal", "score": 5}
    assert events(person("2012-01-01"), [enc("2026-01-10", screenings=[sdq])],
                  "skrining_jiwa") == []


def test_terduga_tb_by_the_instrument_and_examined_by_a_later_tb_diagnosis():
    adult = person("1980-01-01", sex="L")
    spec = CFG["instruments"]["instruments"]["tb_gejala"]
    items = [i["id"] for part in ("main", "additional", "modifiers") for i in spec[part]]
    yes = {item: item == spec["main"][0]["id"] for item in items}   # a cough, nothing else
    tb = enc("2026-03-01", screenings=[{"instrument": "tb_gejala", "answers": yes}])
    examined = enc("2026-03-09", setting="puskesmas", diagnoses=[{"icd10": "A15.0"}])
    found = events(adult, [tb, examined], "terduga_tb", "tb_diperiksa")
    # What the instrument says decides, not a copy of its rule here.
    verdict = score_instrument(CFG, instrument="tb_gejala", answers=yes, sex="L",
                               birth_date="1980-01-01", date="2026-03-01")
    assert verdict["refer"]
    assert found == [("tb_diperiksa", "2026-03-09"), ("terduga_tb", "2026-03-01")]
    no = {item: False for item in items}
    quiet = enc("2026-03-01", screenings=[{"instrument": "tb_gejala", "answers": no}])
    assert events(adult, [quiet, examined], "terduga_tb", "tb_diperiksa") == []
    stored = enc("2026-04-01", screenings=[{"instrument": "tb_gejala", "result": "terduga_tb"}])
    assert events(adult, [stored], "terduga_tb", "tb_diperiksa") == [
        ("terduga_tb", "2026-04-01")]
    negative = enc("2026-04-01", screenings=[{"instrument": "tb_gejala",
                                              "result": "bukan_terduga"}])
    assert events(adult, [negative, examined], "terduga_tb", "tb_diperiksa") == []


# --- growth --------------------------------------------------------------------------------------

def weighing(when: str, kg: float, cm: float | None = None) -> dict:
    measured = {"weight_kg": kg} | ({"height_cm": cm, "length_or_height": "lying"} if cm else {})
    return enc(when, measurements=measured)


def test_growth_rows_carry_the_evaluator_z_scores_and_trend():
    child = person("2025-10-05", sex="L")
    docs = [weighing("2026-03-05", 7.0, 65.0), weighing("2026-04-06", 7.5),
            weighing("2026-05-06", 7.55), weighing("2026-07-06", 8.1)]
    rows, _ = person_facts(CFG, child, docs)
    assert [r["trend"] for r in rows] == ["baru", "naik", "tidak_naik",
                                          "tidak_ditimbang_bulan_lalu"]
    first = rows[0]
    z = growth_zscores(CFG, sex="L", weight_kg=7.0, height_cm=65.0, measure="lying",
                       birth_date="2025-10-05", date="2026-03-05")
    assert (first["waz"], first["bbu"]) == (z["indices"]["bb_u"]["z"],
                                            z["indices"]["bb_u"]["category"])
    assert (first["haz"], first["tbu"]) == (z["indices"]["tb_u"]["z"],
                                            z["indices"]["tb_u"]["category"])
    assert (first["whz"], first["bbtb"]) == (z["indices"]["bb_tb"]["z"],
                                             z["indices"]["bb_tb"]["category"])
    assert first["age_days"] == 151 and first["desa"] == DESA and first["setting"] == "posyandu"
    assert rows[1]["haz"] is None and rows[1]["bbu"] is not None   # weight only
    trend = weight_trend(CFG, person=child, history=docs, date="2026-05-06", weight_kg=7.55)
    assert rows[2]["trend"] == trend["code"]


def test_two_t_is_two_tidak_naik_in_a_row():
    child = person("2025-10-05", sex="L")
    docs = [weighing("2026-03-05", 7.0), weighing("2026-04-06", 7.0),
            weighing("2026-05-06", 7.0)]
    rows, _ = person_facts(CFG, child, docs)
    assert [(r["trend"], r["two_t"]) for r in rows] == [
        ("baru", False), ("tidak_naik", False), ("tidak_naik", True)]


def test_no_growth_row_from_60_months_or_without_a_measurement():
    child = person("2021-03-01")
    rows, _ = person_facts(CFG, child, [weighing("2026-02-28", 16.0), weighing("2026-03-01", 16.2),
                                        enc("2026-01-10", services=[{"code": "pmt"}])])
    assert [r["date"].isoformat() for r in rows] == ["2026-02-28"]


def test_a_corrected_visit_is_replaced_by_its_correction():
    child = person("2025-10-05", sex="L")
    wrong = weighing("2026-03-05", 70.0)
    right = {**weighing("2026-03-05", 7.0), "corrects": wrong["_id"]}
    rows, _ = person_facts(CFG, child, [wrong, right])
    assert [(r["encounter_id"], r["weight_kg"]) for r in rows] == [(right["_id"], 7.0)]


def test_an_impossible_stored_value_loses_only_its_own_facts():
    child = person("2025-10-05", sex="L")
    docs = [weighing("2026-03-05", 7.0), enc("2026-04-06", measurements={"weight_kg": 0.01}),
            service("2026-08-03", "vitamin_a")]
    rows, found = person_facts(CFG, child, docs)
    assert [r["weight_kg"] for r in rows] == [7.0]
    assert [row["event"] for row in found] == ["vitamin_a"]

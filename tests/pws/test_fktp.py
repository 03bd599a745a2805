"""Jejaring FKTP (backend/pws/fktp.py, /api/v1/pws/fktp): the finder shows who a person is and
nothing clinical, only in the account's area; a case report is validated before anything is
written and then goes through the one write path (follow-up derived, setting `fktp` in the
read model); "my cases" lists this account's cases and their tasks only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from backend import clock
from backend.auth.users import create_user
from backend.clinical.icd10 import ICD10_LIST
from backend.db import read_transaction, write_transaction
from backend.followup.tasks import task_id
from backend.projections.tables import diagnoses, encounters, persons, pws_events
from backend.pws import fktp
from backend.pws.months import Month
from backend.pws.morbidity import new_cases
from backend.sync.tables import documents
from backend.writes import write_docs
from tests import factories as f

BASE = "/api/v1/pws/fktp"
NIK_A = "3204195705900001"
ENDPOINTS = (("get", f"{BASE}/persons"), ("post", f"{BASE}/persons"),
             ("get", f"{BASE}/cases"), ("post", f"{BASE}/cases"))


@pytest.fixture
def village(world):
    """Desa A: Siti (with NIK), Sitti Rahmah, a Pustu; desa B: Siti Badriah."""
    pustu = f.place("pustu", "Pustu Cikalong", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    home = f.household(f.DESA_A, head_name="Budi Santoso", rt="003", rw="004")
    siti = f.person(f.DESA_A, name="Siti Aminah", nik=NIK_A, household=home["_id"],
                    birth_date="1970-02-03")
    rahmah = f.person(f.DESA_A, name="Sitti Rahmah", birth_date="1985-07-01")
    badriah = f.person(f.DESA_B, name="Siti Badriah", nik="3204195705900002")
    with write_transaction() as conn:
        results = write_docs(conn, [pustu, home, siti, rahmah, badriah], None)
    assert all(r.get("ok") for r in results), results
    return {"siti": siti, "rahmah": rahmah, "badriah": badriah, "pustu": pustu}


def doc_count() -> int:
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()


def hypertension(person_id: str, **extra) -> dict:
    return {"person": person_id, "date": clock.today().isoformat(), "provider": "Bd. Neneng",
            "diagnoses": [{"icd10": "I10", "case": "baru"}], "services": ["penyuluhan"],
            "measurements": {"sbp": 165, "dbp": 100}, **extra}


# --- the ICD-10 list ---------------------------------------------------------------------

def test_the_icd10_codes_are_the_pwa_list():
    rows = re.findall(r"^\s*\['", ICD10_LIST.read_text(encoding="utf-8"), re.M)
    codes = fktp.icd10_codes()
    assert len(codes) == len(rows) > 100
    assert codes["I10"] == "Hipertensi esensial" and codes["G51.0"] == "Bell's palsy"


def test_nik_is_masked_but_its_last_four_digits():
    assert fktp.mask_nik(NIK_A) == "************0001"
    assert fktp.mask_nik(None) is None


# --- who may call ------------------------------------------------------------------------

@pytest.mark.parametrize("username", sorted(set(f.ROLE_USERS) - {"fktp_a"}))
def test_every_other_role_is_refused(login, village, username):
    session = login(username)
    for method, url in ENDPOINTS:
        response = getattr(session, method)(url, json={}) if method == "post" else \
            session.get(url, query_string={"q": "Siti"})
        assert response.status_code == 403, (username, method, url)
        assert response.mimetype == "application/problem+json"


def test_anonymous_is_refused(client, village):
    assert client.get(f"{BASE}/cases").status_code == 401


def test_fktp_reads_no_record_through_the_rest_api_or_sync(login, village):
    clinic = login("fktp_a")
    siti = village["siti"]["_id"]
    for url in ("/api/v1/persons?q=Siti", f"/api/v1/persons/{siti}", f"/api/v1/records/{siti}",
                "/api/v1/encounters", "/api/v1/tasks", "/api/v1/households",
                f"/api/v1/persons/{siti}/encounters", f"/api/v1/persons/{siti}/due",
                "/sync/siklus/_changes", f"/sync/siklus/{siti}"):
        assert clinic.get(url).status_code == 403, url


# --- finder ------------------------------------------------------------------------------

def test_finds_by_exact_nik_with_identifying_fields_only(login, village):
    response = login("fktp_a").get(f"{BASE}/persons", query_string={"nik": NIK_A})
    assert response.status_code == 200, response.json
    [row] = response.json["items"]
    assert row == {"id": village["siti"]["_id"], "name": "Siti Aminah", "sex": "P",
                   "birth_date": "1970-02-03", "desa": f.DESA_A, "desa_name": "Cikalong",
                   "rt": "003", "rw": "004", "nik_masked": "************0001"}
    assert NIK_A not in response.get_data(as_text=True)
    # A NIK differing in one digit is another person: exact match only.
    other = login("fktp_a").get(f"{BASE}/persons", query_string={"nik": NIK_A[:-1] + "9"})
    assert other.json["items"] == []


def test_finds_by_name_and_narrows_by_birth_year_and_desa(login, village):
    clinic = login("fktp_a")
    names = [r["name"] for r in clinic.get(f"{BASE}/persons", query_string={"q": "siti"}).json[
        "items"]]
    assert names == ["Siti Aminah"]           # Sitti is another spelling, Badriah is in B
    both = clinic.get(f"{BASE}/persons", query_string={"q": "rahmah"}).json["items"]
    assert [r["name"] for r in both] == ["Sitti Rahmah"]
    year = clinic.get(f"{BASE}/persons", query_string={"q": "siti", "birth_year": 1971})
    assert year.json["items"] == []
    desa = clinic.get(f"{BASE}/persons", query_string={"q": "siti", "desa": f.DESA_A})
    assert [r["name"] for r in desa.json["items"]] == ["Siti Aminah"]


def test_a_person_outside_the_area_is_not_found(login, village):
    clinic = login("fktp_a")
    by_nik = clinic.get(f"{BASE}/persons", query_string={"nik": "3204195705900002"})
    assert by_nik.status_code == 200 and by_nik.json["items"] == []
    assert "Badriah" not in clinic.get(f"{BASE}/persons", query_string={"q": "badriah"}) \
        .get_data(as_text=True)
    for desa in (f.DESA_B, "3204200001"):       # another desa; a desa of no Puskesmas here
        response = clinic.get(f"{BASE}/persons", query_string={"q": "siti", "desa": desa})
        assert response.status_code == 404, desa


@pytest.mark.parametrize("query", [{}, {"q": "si"}, {"nik": "12345"}, {"birth_year": 1970},
                                   {"q": "siti", "birth_year": "tahun"}])
def test_finder_needs_a_nik_or_a_name(login, village, query):
    response = login("fktp_a").get(f"{BASE}/persons", query_string=query)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_every_person_shown_is_audited(login, village):
    clinic = login("fktp_a")
    clinic.get(f"{BASE}/persons", query_string={"nik": NIK_A})
    admin = login("admin")
    rows = admin.get("/api/v1/audit", query_string={"actor": "fktp_a",
                                                     "action": "record.open"}).json
    rows = rows.get("items", rows) if isinstance(rows, dict) else rows
    assert [(r["target_id"], r["detail"]["view"]) for r in rows] == [
        (village["siti"]["_id"], "fktp.find")]


# --- registration ------------------------------------------------------------------------

def test_registers_a_person_and_a_household_then_finds_them(login, village):
    clinic = login("fktp_a")
    response = clinic.post(f"{BASE}/persons", json={
        "name": "Darto Wijaya", "sex": "L", "birth_date": "1961-04-05", "desa": f.DESA_A,
        "nik": "3204190504610003", "rt": "001", "rw": "002"})
    assert response.status_code == 201, response.json
    assert response.json["nik_masked"] == "************0003"
    assert response.json["rt"] == "001" and response.json["desa_name"] == "Cikalong"
    with read_transaction() as conn:
        row = conn.execute(sa.select(persons).where(persons.c.id == response.json["id"])).one()
    assert row.household_id and row.relation == "kepala"
    found = clinic.get(f"{BASE}/persons", query_string={"q": "darto"}).json["items"]
    assert [r["id"] for r in found] == [response.json["id"]]


@pytest.mark.parametrize(("body", "status"), [
    ({"nik": NIK_A}, 409),                              # already registered
    ({"desa": f.DESA_B}, 404),                          # outside the account's area
    ({"birth_date": "2999-01-01"}, 422),                # born in the future
    ({"sex": "X"}, 422),
    ({"rt": "RT satu"}, 422),                           # household schema: digits
])
def test_bad_registration_writes_nothing(login, village, body, status):
    before = doc_count()
    response = login("fktp_a").post(f"{BASE}/persons", json={
        "name": "Warga Baru", "sex": "P", "birth_date": "1990-01-01", "desa": f.DESA_A, **body})
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert doc_count() == before


# --- case report -------------------------------------------------------------------------

def test_a_case_goes_through_the_write_path_and_derives_follow_up(login, village):
    clinic = login("fktp_a")
    response = clinic.post(f"{BASE}/cases", json=hypertension(village["siti"]["_id"]))
    assert response.status_code == 201, response.json
    case = response.json["id"]
    with read_transaction() as conn:
        enc = conn.execute(sa.select(encounters).where(encounters.c.id == case)).one()
        codes = conn.execute(sa.select(diagnoses.c.icd10, diagnoses.c.case_type)
                             .where(diagnoses.c.encounter_id == case)).all()
    assert (enc.setting, enc.desa, enc.sbp, enc.provider) == (
        "fktp", f.DESA_A, 165, "Fktp A · Bd. Neneng")
    assert codes == [("I10", "baru")]
    bidan = login("pustu_a")
    task = bidan.get(f"/api/v1/tasks/{task_id(case, 'hipertensi')}")
    assert task.status_code == 200, task.json
    assert task.json["source"] == "Temuan FKTP jejaring"
    assert task.json["assigned_place"] == village["pustu"]["_id"]


def test_my_cases_show_the_follow_up_and_its_outcome_code_only(login, village):
    clinic = login("fktp_a")
    case = clinic.post(f"{BASE}/cases", json=hypertension(village["siti"]["_id"])).json["id"]
    [row] = clinic.get(f"{BASE}/cases").json
    assert row["id"] == case and row["person"]["name"] == "Siti Aminah"
    assert row["diagnoses"] == [{"icd10": "I10", "case": "baru"}]
    assert row["measurements"] == {"sbp": 165, "dbp": 100}
    [task] = row["tasks"]
    assert (task["status"], task["outcome_code"]) == ("open", None)
    bidan = login("pustu_a")
    current = bidan.get(f"/api/v1/tasks/{task['id']}").json
    closed = bidan.patch(f"/api/v1/tasks/{task['id']}", json={
        "_rev": current["_rev"], "status": "done", "outcome_code": "datang",
        "outcome": "Rahasia: TD 150/90, riwayat lain", "done_at": "2026-11-30T09:00:00Z"})
    assert closed.status_code == 200, closed.json
    response = clinic.get(f"{BASE}/cases")
    [task] = response.json[0]["tasks"]
    assert (task["status"], task["outcome_code"]) == ("done", "datang")
    assert "Rahasia" not in response.get_data(as_text=True)   # the bidan's notes stay hers


def test_an_fktp_sees_only_its_own_cases(app, login, village):
    with write_transaction() as conn:
        create_user(conn, username="fktp_b", password=f.PASSWORD, role="fktp",
                    display_name="Klinik B", cluster=None, scopes=[f.DESA_A])
        # A visit the bidan filed under setting fktp (a hospital's ANC) is not the clinic's.
        assert write_docs(conn, [f.encounter(village["rahmah"], setting="fktp",
                                             diagnoses=[{"icd10": "I10"}])], None)[0]["ok"]
    mine = login("fktp_a").post(f"{BASE}/cases", json=hypertension(village["siti"]["_id"]))
    theirs = login("fktp_b").post(f"{BASE}/cases", json=hypertension(village["rahmah"]["_id"]))
    assert mine.status_code == theirs.status_code == 201
    assert [c["id"] for c in login("fktp_a").get(f"{BASE}/cases").json] == [mine.json["id"]]
    assert [c["id"] for c in login("fktp_b").get(f"{BASE}/cases").json] == [theirs.json["id"]]


@pytest.mark.parametrize(("change", "field"), [
    ({"date": "tomorrow"}, "date"),
    ({"diagnoses": [{"icd10": "Z99.9"}]}, "diagnoses"),     # well formed, not in the list
    ({"diagnoses": [{"icd10": "hipertensi"}]}, "diagnoses"),
    ({"person": "person:00000000-0000-0000-0000-000000000000"}, "person"),
    ({"person": "badriah"}, "person"),                      # a person of desa B
    ({"diagnoses": [], "services": []}, "diagnoses"),
    ({"measurements": {"sbp": 90, "dbp": 120}}, "dbp"),     # the encounter schema's rule
    ({"diagnoses": [{"icd10": "I10", "case": "kambuh"}]}, "case"),
])
def test_a_bad_case_is_refused_and_nothing_is_written(login, village, change, field):
    body = hypertension(village["siti"]["_id"], **change)
    if body["date"] == "tomorrow":
        body["date"] = (clock.today() + dt.timedelta(days=1)).isoformat()
    if body["person"] == "badriah":
        body["person"] = village["badriah"]["_id"]
    before = doc_count()
    response = login("fktp_a").post(f"{BASE}/cases", json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.get_data(as_text=True)
    assert doc_count() == before


# --- the case in PWS ---------------------------------------------------------------------

def test_the_case_counts_in_morbidity_and_in_the_pws_facts_with_setting_fktp(login, village):
    clinic = login("fktp_a")
    case = clinic.post(f"{BASE}/cases", json=hypertension(village["siti"]["_id"])).json["id"]
    month = Month.of(clock.today())
    with read_transaction() as conn:
        rows = new_cases(conn, [f.DESA_A, f.DESA_B], month)
        events = conn.execute(sa.select(pws_events.c.event, pws_events.c.setting,
                                        pws_events.c.ref_id)
                              .where(pws_events.c.person_id == village["siti"]["_id"])).all()
    assert {"desa": f.DESA_A, "code": "I10", "cases": 1, "cases_fktp": 1} in rows
    assert ("ht_kasus", "fktp", case) in events and ("ht_terlayani", "fktp", case) in events
    # Through the API, the Kepala Puskesmas sees the case's source.
    body = login("kapus").get("/api/v1/pws/morbidity",
                              query_string={"month": str(month)}).json
    [row] = [r for r in body["rows"] if r["desa"] == f.DESA_A and r["code"] == "I10"]
    assert (row["cases"], row["cases_fktp"]) == (1, 1)

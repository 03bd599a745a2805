"""The person page reads like a Buku KIA: a child's nutritional status and four growth charts
with legends, and timelines that give every measurement its unit and every result, service,
dose and place in words, never a code, at phone and tablet widths, offline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backend.clinical import default_config, growth_zscores
from backend.db import write_transaction
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.e2e.test_layout import audit

pytestmark = pytest.mark.slow

SHOTS = Path("/tmp/shots/record")
WIDTHS = (360, 412, 1280)
# What a raw code or id looks like in rendered text: snake_case enums (`kemungkinan_masalah`,
# `anc_dokter`, `bukan_terduga`) and document ids (`encounter:…`).
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:encounter|person|place|task|pregnancy|household):")


def _months_ago(today: dt.date, months: int, day: int = 10) -> dt.date:
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


def _child_history(child: dict, posyandu: dict, today: dt.date) -> list[dict]:
    """Eight monthly weighings: growing, then three falls in a row (T, T: 2T), head
    circumference every third month, doses, vitamin A, a KPSP and counselling."""
    weights = (8.6, 8.9, 9.1, 9.3, 9.4, 9.1, 8.9, 8.7)
    docs = []
    for n, weight in enumerate(weights):
        day = _months_ago(today, len(weights) - n)
        measured = {"weight_kg": weight, "height_cm": round(70.0 + 0.9 * n, 1),
                    "length_or_height": "lying", "muac_cm": 13.1, "temp_c": 36.8}
        if n % 3 == 0:
            measured["head_circ_cm"] = round(44.0 + 0.3 * n, 1)
        extra: dict = {}
        if n == 0:
            extra["immunizations"] = [{"vaccine": "OPV", "dose": 4}, {"vaccine": "DPT-HB-Hib",
                                                                      "dose": 3}]
        if n == 2:
            extra["services"] = [{"code": "vitamin_a", "detail": "kapsul biru 100.000 IU",
                                  "quantity": 1}, {"code": "penyuluhan", "detail": "mpasi"}]
            extra["screenings"] = [{"instrument": "kpsp", "score": 10, "result": "sesuai"}]
        if n == 7:
            extra["immunizations"] = [{"vaccine": "MR", "dose": 1, "timing": "kejar"}]
        docs.append(f.encounter(child, date=day.isoformat(), setting="posyandu",
                                place=posyandu["_id"], provider="Kader Euis", cluster="2",
                                measurements=measured, **extra))
    return docs


def _adult_history(adult: dict, today: dt.date) -> list[dict]:
    screened = f.encounter(
        adult, date=_months_ago(today, 2).isoformat(), setting="posyandu", cluster="3",
        provider="Kader Euis",
        measurements={"weight_kg": 71.5, "height_cm": 165.0, "waist_cm": 94.0, "sbp": 168,
                      "dbp": 98, "glucose_mgdl": 215, "glucose_type": "GDS"},
        screenings=[{"instrument": "srq20", "score": 8, "result": "kemungkinan_masalah"},
                    {"instrument": "tb_gejala", "result": "bukan_terduga"},
                    {"instrument": "merokok", "result": "perokok"}],
        referral={"to": "Puskesmas Sukamanah", "reason": "Tekanan darah >= 140/90 mmHg"})
    diagnosed = f.encounter(
        adult, date=_months_ago(today, 1).isoformat(), setting="puskesmas", cluster="3",
        provider="dr. Rina Marlina", measurements={"sbp": 150, "dbp": 92, "hba1c_pct": 7.1,
                                                   "cholesterol_mgdl": 232},
        diagnoses=[{"icd10": "I10", "case": "baru"}, {"icd10": "E11.9", "case": "baru"}])
    corrected = f.encounter(
        adult, date=_months_ago(today, 1, day=12).isoformat(), setting="puskesmas", cluster="3",
        provider="dr. Rina Marlina", corrects=diagnosed["_id"], measurements={"sbp": 152,
                                                                               "dbp": 92},
        notes="Tekanan darah salah ketik")
    return [screened, diagnosed, corrected]


def _teen_pregnancy(teen: dict, today: dt.date) -> list[dict]:
    pregnancy = f.pregnancy(teen, hpht=(today - dt.timedelta(weeks=21)).isoformat(),
                            gravida=1, para=0, abortus=0)
    anc = f.encounter(
        teen, date=(today - dt.timedelta(days=3)).isoformat(), setting="pustu", cluster="2",
        provider="Bidan Neneng", pregnancy=pregnancy["_id"],
        measurements={"weight_kg": 44.0, "muac_cm": 22.5, "sbp": 150, "dbp": 100, "hb_gdl": 9.5,
                      "temp_c": 37.8},
        services=[{"code": "anc", "detail": "K3"}, {"code": "anc_dokter"}, {"code": "usg"},
                  {"code": "ttd", "quantity": 30}])
    return [pregnancy, anc]


@pytest.fixture(scope="module")
def kia(e2e_app, village) -> dict:
    """A child, a hypertensive man and a pregnant 17-year-old with a Buku KIA's worth of
    records, written through the one write path as any device's sync would."""
    today = dt.date.today()
    household = f.household(f.DESA_A, head_name="Ujang Buku", rt="001", rw="004")
    child = f.person(f.DESA_A, name="Aditya Buku", sex="L", household=household["_id"],
                     birth_date=(today - dt.timedelta(days=430)).isoformat())
    adult = f.person(f.DESA_A, name="Ujang Buku", sex="L", household=household["_id"],
                     birth_date="1979-04-02")
    teen = f.person(f.DESA_A, name="Nia Buku", sex="P", household=household["_id"],
                    birth_date=(today - dt.timedelta(days=17 * 365 + 40)).isoformat())
    docs = [household, child, adult, teen, *_child_history(child, village["posyandu"][0], today),
            *_adult_history(adult, today), *_teen_pregnancy(teen, today)]
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, docs, None)
    assert all(r.get("ok") for r in results), [r for r in results if not r.get("ok")]
    return {"child": child, "adult": adult, "teen": teen}


def _no_raw_codes(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not RAW.findall(text), RAW.findall(text)


def _fits(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map((el) => `${el.tagName}.${el.className} ${el.textContent.slice(0, 40)}`)""")
    assert overflow <= 0, f"{overflow} px of horizontal scroll: {wide}"


def _at_widths(page: Page, name: str) -> None:
    """No sideways scroll, touch targets of 44 px and AA contrast at each width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)  # layout settles after the resize
        _fits(page)
        audit(page, f"person-{name}-{width}")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def _last_bb_u(child: dict) -> str:
    """The timeline's words for the last weighing's BB/U (8.7 kg a month ago), computed by the
    evaluator: the child's age at that visit depends on the day the test runs."""
    day = _months_ago(dt.date.today(), 1).isoformat()
    z = growth_zscores(default_config(), sex="L", weight_kg=8.7, birth_date=child["birth_date"],
                       date=day)["indices"]["bb_u"]["z"]
    words = f"{z:.2f}".rstrip("0").rstrip(".").replace(".", ",").replace("-", "\u2212")
    return f"BB/U {words} SD (berat badan normal)"


def test_child_page_shows_nutritional_status_four_charts_and_a_kia_timeline(page, context, kia):
    login(page, "pustu_a")
    context.set_offline(True)  # a Pustu tablet without signal
    child = kia["child"]
    page.goto(f"/#/person/{child['_id']}")
    expect(page.get_by_role("heading", name=child["name"])).to_be_visible()
    status = page.get_by_test_id("nutrition-status")
    for index in ("BB/U", "PB/U", "BB/PB"):
        expect(status).to_contain_text(index)
    for index in ("bb_u", "tb_u", "bb_pb", "lk_u"):
        expect(page.locator(f"figure.growth[data-index={index}] svg.growth-chart")).to_have_count(1)
    # 9.4 -> 9.1 -> 8.9 -> 8.7 kg: each month below the KBM, twice in a row and more (2T).
    expect(page.get_by_text("Penimbangan terakhir")).to_contain_text("8,7 kg")
    expect(page.locator(".weighings")).to_contain_text("Tidak naik 2 kali berturut-turut (2T)")
    legend = page.locator("figure.growth[data-index=bb_pb] .chart-legend")
    expect(legend).to_contain_text("Garis hijau: median standar WHO")
    expect(legend).to_contain_text("di bawah −3 SD: Gizi buruk")
    timeline = page.get_by_test_id("timeline")
    for text in ("BB 8,7 kg", "PB 76,3 cm (berbaring)", "LK 44 cm", "LiLA 13,1 cm",
                 "Suhu 36,8 °C", "Polio tetes (OPV) 4", "Campak-Rubela (MR) 1 (kejar)",
                 "Vitamin A: kapsul biru 100.000 IU, jumlah 1", "Penyuluhan: MP-ASI",
                 "KPSP: sesuai umur (skor 10)", "Posyandu Melati · Klaster 2 (ibu dan anak)",
                 "Dicatat oleh Kader Euis", _last_bb_u(child),
                 "tidak naik 2 kali berturut-turut (2T)"):
        expect(timeline).to_contain_text(text)
    _no_raw_codes(page)
    shot(page, "person-child-kia")
    _at_widths(page, "child")
    # The folded numbers (weighings, each chart's data) must fit a phone as well.
    page.evaluate("() => document.querySelectorAll('main details')"
                  ".forEach((d) => { d.open = true; })")
    expect(page.get_by_test_id("weighings")).to_contain_text("Tidak naik (T)")
    _no_raw_codes(page)
    _at_widths(page, "child-open")


def test_adult_and_teen_pregnancy_timelines_say_every_result_in_words(page, context, kia):
    login(page, "pustu_a")
    context.set_offline(True)
    page.goto(f"/#/person/{kia['adult']['_id']}")
    timeline = page.get_by_test_id("timeline")
    for text in ("TB 165 cm", "TD 168/98 mmHg", "Gula darah sewaktu 215 mg/dL",
                 "Lingkar perut 94 cm",
                 "SRQ-20: kemungkinan ada masalah kesehatan jiwa", "(skor 8)",
                 "Skrining TBC: bukan terduga TBC", "Merokok: perokok",
                 "TD 168/98 mmHg (hipertensi derajat 2)", "Dirujuk ke Puskesmas Sukamanah",
                 "I10", "(kasus baru)", "HbA1c 7,1 %", "Kolesterol total 232 mg/dL",
                 "Klaster 3 (dewasa dan lansia)", "Mengoreksi catatan kunjungan",
                 "Dikoreksi pada", "Tekanan darah salah ketik"):
        expect(timeline).to_contain_text(text)
    expect(timeline.locator(".badge.bad").first).to_be_visible()  # the referral-worthy BP
    _no_raw_codes(page)
    _at_widths(page, "adult")
    page.goto(f"/#/person/{kia['teen']['_id']}")
    timeline = page.get_by_test_id("timeline")
    for text in ("Pemeriksaan kehamilan (ANC): K3", "Pemeriksaan kehamilan oleh dokter",
                 "USG kehamilan", "Tablet tambah darah (TTD): jumlah 30", "LiLA 22,5 cm",
                 "Hb 9,5 g/dL", "Suhu 37,8 °C",
                 "TD 150/100 mmHg", "Klaster 2 (ibu dan anak)", "Dicatat oleh Bidan Neneng"):
        expect(timeline).to_contain_text(text)
    _no_raw_codes(page)
    _at_widths(page, "teen-pregnant")

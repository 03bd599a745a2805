"""What a queue item says of a record (backend/review/summary.py): pure functions, words only."""

from __future__ import annotations

from backend.clinical import default_config
from backend.review import summary


def test_a_visit_is_one_line_of_values_vaccines_screenings_and_services():
    visit = {"type": "encounter", "date": "2026-11-12", "setting": "posyandu",
             "measurements": {"weight_kg": 9.1, "height_cm": 71.0, "muac_cm": 13.5,
                              "sbp": 118, "dbp": 76, "glucose_mgdl": 142.0,
                              "glucose_type": "GDS"},
             "immunizations": [{"vaccine": "DPT-HB-Hib", "dose": 2}, {"vaccine": "XYZ"}],
             "screenings": [{"instrument": "srq20"}, {"instrument": "tanda_bahaya_balita"}],
             "services": [{"code": "vitamin_a"}, {"code": "kode_baru"}],
             "diagnoses": [{"icd10": "A09"}]}
    text = summary.summary(default_config(), visit)
    assert text == ("TD 118/76 mmHg · BB 9,1 kg · TB 71 cm · LiLA 13,5 cm · GDS 142 mg/dL · "
                    "Imunisasi DPT-HB-Hib 2 · Imunisasi lain · Skrining SRQ-20 · "
                    "Tanda bahaya umum anak sakit (2 bulan - 5 tahun) · Vitamin A · "
                    "Layanan lain · Diagnosis Diare dan gastroenteritis yang diduga infeksi")


def test_a_visit_of_notes_only_shows_them_shortened_and_a_correction_says_so():
    notes = "Penyelidikan epidemiologi DBD: periksa jentik 20 rumah sekitar kasus. " * 3
    text = summary.summary(default_config(), {"type": "encounter", "notes": notes})
    assert text.startswith("Catatan: Penyelidikan epidemiologi DBD")
    assert len(text) <= summary.NOTE_CHARS and text.endswith("…")
    corrected = summary.summary(default_config(), {
        "type": "encounter", "corrects": "encounter:x", "measurements": {"height_cm": 71.0}})
    assert corrected == "Koreksi · TB 71 cm"
    assert summary.summary(default_config(), {"type": "encounter"}) == "Kunjungan tanpa isian"


def test_a_registration_and_a_pregnancy_in_words():
    person = {"type": "person", "sex": "P", "birth_date": "1994-05-17",
              "birth_date_estimated": True, "nik": "3204195705940001"}
    assert summary.summary({}, person) == \
        "Pendaftaran: perempuan lahir 17 Mei 1994 (perkiraan) · NIK tercatat"
    pregnancy = {"type": "pregnancy", "hpht": "2026-06-01", "hpl": "2027-03-08",
                 "gravida": 2, "para": 1, "abortus": 0, "status": "ongoing"}
    assert summary.summary({}, pregnancy) == \
        "Kehamilan: HPHT 1 Jun 2026 · HPL 8 Mar 2027 · G2P1A0 · berlangsung"
    assert summary.summary({}, {"type": "pregnancy", "status": "delivered"}) == \
        "Kehamilan: HPHT belum diisi · sudah bersalin"


def test_where_names_the_setting_and_the_place():
    places = {"place:1": "Posyandu Melati", "place:2": "Pustu Cikalong"}
    assert summary.where({"type": "encounter", "setting": "posyandu", "place": "place:1"},
                         places) == "Posyandu Melati"
    assert summary.where({"type": "encounter", "setting": "home", "place": "place:2"},
                         places) == "Kunjungan rumah (Pustu Cikalong)"
    assert summary.where({"type": "encounter", "setting": "fktp"}, places) == "FKTP jejaring"
    assert summary.where({"type": "person"}, places) is None

"""What a record holds, in words a reviewer reads at a glance (the queue's `summary` and
`where`): "BB 9,1 kg · TB 71 cm · LiLA 13,5 cm · Imunisasi DPT-HB-Hib 2 · Skrining gejala TBC".

Pure functions of a document body and the installation's config/ilp. A visit and its
screenings are one encounter document, so they are one line here, never two rows. Codes never
reach the reviewer: a vaccine, an instrument, a service and a diagnosis are named in words
(immunization.json, instruments.json, the PWA's ICD-10 list), and a code the catalogues do
not know is said generically ("Layanan lain").
"""

from __future__ import annotations

import datetime as dt

from backend.clinical.icd10 import icd10_names

SEP = " · "
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# (field, label, unit, decimals) in the order a kader reads them off the KMS / the visit form.
MEASURES = (
    ("weight_kg", "BB", "kg", 1), ("height_cm", "TB", "cm", 1), ("muac_cm", "LiLA", "cm", 1),
    ("head_circ_cm", "LK", "cm", 1), ("waist_cm", "Lingkar perut", "cm", 1),
    ("temp_c", "Suhu", "°C", 1), ("hb_gdl", "Hb", "g/dL", 1),
    ("hba1c_pct", "HbA1c", "%", 1), ("cholesterol_mgdl", "Kolesterol", "mg/dL", 0),
)
# The PWA's service names (pwa/static/js/i18n/id.js `service.*`), shortened for one line.
SERVICES = {
    "vitamin_a": "Vitamin A", "ttd": "TTD", "obat_cacing": "Obat cacing",
    "pmt": "Makanan tambahan", "kb": "Layanan KB", "anc": "Pemeriksaan kehamilan (ANC)",
    "anc_dokter": "ANC oleh dokter", "usg": "USG kehamilan", "kn": "Kunjungan neonatal",
    "kf": "Kunjungan nifas", "iva": "Pemeriksaan IVA", "sadanis": "SADANIS",
    "penyuluhan": "Penyuluhan", "nifas": "Kunjungan nifas", "neonatal": "Kunjungan neonatal",
}
SETTINGS = {"posyandu": "Posyandu", "pustu": "Pustu", "puskesmas": "Puskesmas",
            "home": "Kunjungan rumah", "fktp": "FKTP jejaring"}
PREGNANCY_STATUS = {"ongoing": "berlangsung", "delivered": "sudah bersalin",
                    "ended": "berakhir"}
SEX = {"L": "laki-laki", "P": "perempuan"}
NOTE_CHARS = 120   # of a visit's notes, when they are all it holds
NAMED = ("skrining", "status", "tanda", "kuesioner")   # labels that say what they are


def number(value: float, decimals: int = 1) -> str:
    """Indonesian decimal comma, no trailing ",0": 9.1 → "9,1", 71.0 → "71"."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", ",")


def day(value: str | dt.date | None) -> str:
    """"12 Nov 2026" (the PWA's short date)."""
    if not value:
        return "?"
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def measurements(values: dict) -> list[str]:
    out = [f"{label} {number(values[key], decimals)} {unit}"
           for key, label, unit, decimals in MEASURES if values.get(key) is not None]
    if values.get("sbp") is not None and values.get("dbp") is not None:
        out.insert(0, f"TD {values['sbp']}/{values['dbp']} mmHg")
    if values.get("glucose_mgdl") is not None:
        name = values.get("glucose_type") or "Gula darah"   # GDS, GDP, GD2PP: as on paper
        out.append(f"{name} {number(values['glucose_mgdl'], 0)} mg/dL")
    if values.get("oedema"):
        out.append("Edema")
    return out


def vaccine(config: dict, vaccine_code: str, dose: int | None) -> str:
    """"Imunisasi DPT-HB-Hib 2": the vaccine as immunization.json names it, with the dose."""
    known = {d["vaccine"] for d in config.get("immunization", {}).get("doses", [])}
    name = vaccine_code if vaccine_code in known else "lain"
    return f"Imunisasi {name}" + (f" {dose}" if dose and name != "lain" else "")


def instrument(config: dict, code: str) -> str:
    """"Skrining SRQ-20": an instrument by its abbreviation when its label ends with one in
    brackets ("Self Reporting Questionnaire 20 (SRQ-20)"), else by its whole label."""
    label = config.get("instruments", {}).get("instruments", {}).get(code, {}).get("label")
    if not label:
        return "Skrining"
    if label.endswith(")") and "(" in label:
        short = label[label.rindex("(") + 1:-1].split("/")[0].strip()
        if short and short.replace("-", "").isalnum() and short.upper() == short:
            label = short
    return label if label.lower().startswith(NAMED) else f"Skrining {label}"


def encounter(config: dict, body: dict) -> str:
    parts = measurements(body.get("measurements") or {})
    parts += [vaccine(config, i["vaccine"], i.get("dose")) for i in body.get("immunizations") or []]
    parts += [instrument(config, s["instrument"]) for s in body.get("screenings") or []]
    parts += [SERVICES.get(s.get("code"), "Layanan lain") for s in body.get("services") or []]
    names = icd10_names()
    parts += [f"Diagnosis {names.get(d['icd10'], d['icd10'])}"
              for d in body.get("diagnoses") or []]
    if body.get("referral"):
        parts.append("Dirujuk")
    if body.get("corrects"):
        parts.insert(0, "Koreksi")
    if body.get("notes") and not parts[1 if body.get("corrects") else 0:]:
        parts.append(shorten(f"Catatan: {body['notes']}"))   # a home visit may hold only notes
    return SEP.join(_unique(parts)) or "Kunjungan tanpa isian"


def shorten(text: str, limit: int = NOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def person(body: dict) -> str:
    parts = [f"{SEX.get(body.get('sex'), '')} lahir {day(body.get('birth_date'))}".strip()]
    if body.get("birth_date_estimated"):
        parts[0] += " (perkiraan)"
    parts.append("NIK tercatat" if body.get("nik") else "tanpa NIK")
    if body.get("deceased_date"):
        parts.append(f"meninggal {day(body['deceased_date'])}")
    return "Pendaftaran: " + SEP.join(parts)


def pregnancy(body: dict) -> str:
    parts = [f"HPHT {day(body['hpht'])}" if body.get("hpht") else "HPHT belum diisi"]
    if body.get("hpl"):
        parts.append(f"HPL {day(body['hpl'])}")
    gpa = [f"{k}{body[f]}" for k, f in (("G", "gravida"), ("P", "para"), ("A", "abortus"))
           if body.get(f) is not None]
    if gpa:
        parts.append("".join(gpa))
    parts.append(PREGNANCY_STATUS.get(body.get("status"), "status tidak diketahui"))
    return "Kehamilan: " + SEP.join(parts)


def summary(config: dict, body: dict) -> str:
    kind = body.get("type")
    if kind == "encounter":
        return encounter(config, body)
    if kind == "pregnancy":
        return pregnancy(body)
    return person(body)


def where(body: dict, place_names: dict[str, str]) -> str | None:
    """The setting and place of a visit in words ("Posyandu Melati"); None for a person or a
    pregnancy (they have no place of their own)."""
    if body.get("type") != "encounter":
        return None
    setting = SETTINGS.get(body.get("setting"), "Kunjungan")
    place = place_names.get(body.get("place") or "")
    if not place:
        return setting
    if place.lower().startswith(setting.lower()):
        return place                                # "Posyandu Melati", "Pustu Cikalong"
    return f"{setting} ({place})"                   # "Kunjungan rumah (Pustu Cikalong)"


def _unique(parts: list[str]) -> list[str]:
    seen: set[str] = set()
    return [p for p in parts if not (p in seen or seen.add(p))]

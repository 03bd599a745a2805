"""How a finding reads in Indonesian: "TD 168/98 mmHg (hipertensi derajat 2)" (JS twin:
finding-text.js). Names and units come from config/ilp/followup.json `findings`, labels from
the classifier or instrument; numbers use the decimal comma, never a code."""

from __future__ import annotations

from backend.clinical.growth import round_half_up

# Instrument types whose score means something to the reader (a count or a sum).
SCORED_TYPES = ("count_yes", "sum", "subscale_sum")


def number(value: object) -> str:
    """22.5 -> "22,5", 9.0 -> "9", -2.53 -> "−2,53" (at most two decimals, a real minus)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{round_half_up(value, 2):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return text.replace("-", "\u2212")


def lower_first(label: str) -> str:
    """"Hipertensi derajat 2" -> "hipertensi derajat 2"; an acronym ("KEK ...") stays."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def with_label(head: str, label: str | None) -> str:
    """The value, then its class: in brackets, or after a comma when the label has its own."""
    if not label:
        return head
    label = lower_first(label)
    return f"{head}, {label}" if "(" in label else f"{head} ({label})"


def measured(config: dict, finding: str, value: object, label: str | None,
             name: str | None = None) -> str:
    spec = config["followup"]["findings"][finding]
    unit = f" {spec['unit']}" if spec.get("unit") else ""
    if value is None:  # a weight-based z-score is not computed with oedema
        return with_label(name or spec["name"], label)
    shown = value if isinstance(value, str) else number(value)
    return with_label(f"{name or spec['name']} {shown}{unit}", label)


def trend(config: dict, row: dict) -> str:
    """"BB 8,7 kg, tidak naik 2 kali berturut-turut (2T); turun 200 g sejak bulan lalu (KBM
    200 g)"."""
    text = measured(config, "weight_trend", row["value"], row["label"])
    gain = row.get("gain_g")
    if gain is None:
        return text
    change = f"naik {gain} g" if gain > 0 else f"turun {-gain} g" if gain < 0 else "tetap"
    return f"{text}; {change} sejak bulan lalu (KBM {row['kbm_g']} g)"


def screening(config: dict, row: dict) -> str:
    """"SRQ-20: kemungkinan ada masalah ... (skor 8)"; named domains or signs when positive."""
    name = config["followup"]["instrument_names"].get(row["instrument"]) or row["instrument"]
    if row.get("positive"):
        return f"{name}: {', '.join(row['positive'])}"
    spec = config["instruments"]["instruments"][row["instrument"]]
    label = lower_first(row["label"]) if row.get("label") else ""
    scored = spec["type"] in SCORED_TYPES and not spec.get("list_positive")
    score = f" (skor {number(row['value'])})" if scored and row.get("value") is not None else ""
    text = f"{name}: {label}{score}" if label else f"{name}{score}"
    # An urgent item (SRQ-20 butir 17) is why an otherwise normal score is referred today.
    return f"{text}; {lower_first(spec['urgent_note'])}" if row.get("urgent") else text


def glucose(config: dict, row: dict) -> str:
    """"GDS 215 mg/dL", with HbA1c when it was measured too, then the class."""
    parts = []
    if row["value"] is not None:
        parts.append(measured(config, "glucose", row["value"], None, row["name"]))
    if row.get("hba1c_pct") is not None:
        parts.append(measured(config, "hba1c", row["hba1c_pct"], None))
    return with_label(", ".join(parts), row["label"])


def referral(row: dict) -> str:
    text = f"Dirujuk ke {row['to']}"
    return f"{text}: {row['reason']}" if row.get("reason") else text


def finding_text(config: dict, row: dict) -> str:
    """The row as a person reads it; a coded lab result as "HIV reaktif", "Protein urin +2"."""
    kind = row["finding"]
    if kind == "weight_trend":
        return trend(config, row)
    if kind == "screening":
        return screening(config, row)
    if kind == "referral":
        return referral(row)
    if kind == "glucose":
        return glucose(config, row)
    if kind == "lab":
        return f"{row['name']} {lower_first(row['label'])}"
    return measured(config, kind, row["value"], row["label"], row.get("name"))

"""What a push carries (docs/push.md, "Privacy"): `{title, body, url, tag}` and nothing else, as
the service workers' push handler (pwa/static/push-handlers.js) reads it.

A notification shows on a locked phone that anyone in the house may pick up, so a family's
payload names at most a person's first name, the kind of reminder and a date — never a
diagnosis, a NIK, a result or a full name — and its `url` is the family page, where the
family can stop the reminders. Texts come from the templates in config/ilp/reminders.json;
this module fills them and refuses a payload over MAX_BYTES (push services accept about 4 KB
of encrypted body; RFC 8291 adds at least 103 bytes, so 3 KB leaves room).
"""

from __future__ import annotations

import json
import re
from datetime import date

MAX_BYTES = 3072
FAMILY_URL = "/keluarga/"
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_FIELD = re.compile(r"\{(\w+)\}")


class PayloadTooLarge(ValueError):
    """A payload over MAX_BYTES: fixed here, never sent (a push service answers 413)."""


def first_name(full_name: str | None) -> str:
    """The first word of a name ("Budi" of "Budi Santoso"); a short title ("Ny.", "H.") is
    skipped so the notification does not say just "Ny."."""
    words = [w for w in (full_name or "").split() if w]
    for word in words:
        if not (word.endswith(".") and len(word) <= 4):
            return word.strip(",")[:40]
    return ""


def tanggal(day: date) -> str:
    """An Indonesian date as people say it: "Senin, 7 Desember 2026"."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def fill(template: str, values: dict[str, str]) -> str:
    """`template` with its {fields} replaced; an unknown field is a configuration error."""
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"template field {{{name}}} has no value")
        return str(values[name])
    return _FIELD.sub(one, template)


def build(title: str, body: str, url: str, tag: str) -> dict:
    """The payload dict, checked for size (PayloadTooLarge)."""
    payload = {"title": title, "body": body, "url": url, "tag": tag}
    size = len(encode(payload))
    if size > MAX_BYTES:
        raise PayloadTooLarge(f"payload of {size} bytes is over {MAX_BYTES}")
    return payload


def encode(payload: dict) -> bytes:
    """The bytes the sender encrypts: compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def from_template(text: dict, values: dict[str, str], *, url: str, tag: str) -> dict:
    """A payload from a rule's `text` ({title, body}) and the values of its fields."""
    return build(fill(text["title"], values), fill(text["body"], values), url, tag)

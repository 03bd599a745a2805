"""Payloads: the shape the service workers read, Indonesian dates, the 3 KB bound."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.push import payload


def test_a_payload_is_title_body_url_tag() -> None:
    message = payload.from_template(
        {"title": "Imunisasi {nama}", "body": "Jadwal imunisasi {nama} mulai {tanggal}."},
        {"nama": "Budi", "tanggal": payload.tanggal(dt.date(2026, 12, 7))},
        url=payload.FAMILY_URL, tag="imun-1")
    assert message == {"title": "Imunisasi Budi",
                       "body": "Jadwal imunisasi Budi mulai Senin, 7 Desember 2026.",
                       "url": "/keluarga/", "tag": "imun-1"}
    assert payload.encode(message).decode() == (
        '{"title":"Imunisasi Budi","body":"Jadwal imunisasi Budi mulai Senin, 7 Desember '
        '2026.","url":"/keluarga/","tag":"imun-1"}')


def test_a_template_field_without_a_value_is_a_configuration_error() -> None:
    with pytest.raises(KeyError, match="nik"):
        payload.fill("NIK {nik}", {"nama": "Budi"})


def test_a_payload_over_3_kb_is_refused_before_it_is_queued() -> None:
    assert len(payload.encode(payload.build("t", "é" * 1500, "/keluarga/", "x"))) <= 3072
    with pytest.raises(payload.PayloadTooLarge, match="over 3072"):
        payload.build("t", "é" * 1600, "/keluarga/", "x")   # 3,200 bytes of UTF-8

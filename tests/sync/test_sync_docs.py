"""docs/sync.md documents every /sync endpoint and every sync setting (fails when they drift)."""

from __future__ import annotations

import re

from backend.settings import SETTINGS
from tests.sync.conftest import ROOT

DOC = (ROOT / "docs" / "sync.md").read_text()
SYNC_SETTINGS = ("SYNC_DB_NAME", "CHANGES_MAX_LIMIT", "BULK_MAX_DOCS", "MAX_CONTENT_LENGTH",
                 "MAX_ATTACHMENT_BYTES", "REVS_LIMIT", "DEVICE_ENCOUNTER_WINDOW_MONTHS",
                 "LONGPOLL_TIMEOUT_MS", "LONGPOLL_POLL_MS", "RESOLVE_CONFLICTS_ON_WRITE")


def test_every_sync_endpoint_is_documented(app):
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/sync")}
    missing = sorted(rule for rule in rules if f"`{rule.rstrip('/') or rule}" not in DOC)
    assert missing == []


def test_every_sync_setting_is_documented_with_its_default():
    defaults = {s.name: s.default for s in SETTINGS}
    for name in SYNC_SETTINGS:
        assert f"`{name}`" in DOC, name
        assert name in defaults, name

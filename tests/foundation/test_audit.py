"""The audit trail appends in the caller's transaction and reads newest first."""

from __future__ import annotations

import pytest

from backend import audit
from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from tests import factories as f


def user(name):
    with read_transaction() as conn:
        return get_user(conn, username=name)[0]


def test_audit_rows_commit_with_their_action_and_read_newest_first(app, world):
    with write_transaction() as conn:
        audit.record(conn, actor=user("admin"), action="user.update",
                     target_type="user", target_id="7", detail={"role": ["kader", "pustu"]})
    audit.record_request(user("pustu_a"), "record.open", "person", "person:x", desa=f.DESA_A)
    with read_transaction() as conn:
        newest, oldest = audit.entries(conn)
        [only_admin] = audit.entries(conn, actor_id=world.users["admin"])
    assert (newest.action, newest.actor, newest.desa) == ("record.open", "pustu_a", f.DESA_A)
    assert oldest.detail == {"role": ["kader", "pustu"]} and oldest.at.tzinfo is not None
    assert only_admin == oldest


def test_an_audit_row_rolls_back_with_a_failed_action(app, world):
    with pytest.raises(RuntimeError), write_transaction() as conn:
        audit.record(conn, actor=None, action="place.create", target_type="place",
                     target_id="place:x")
        raise RuntimeError("the action failed after its audit row")
    with read_transaction() as conn:
        assert audit.entries(conn) == []


def test_unknown_actions_are_a_bug(app):
    with pytest.raises(ValueError, match="unknown audit action"), write_transaction() as conn:
        audit.record(conn, actor=None, action="user.delet", target_type="user", target_id="1")

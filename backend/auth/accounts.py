"""Account changes as the admin screen and the CLI make them: admin safety, ended sessions, audit.

One home for the rules both callers must honour: the Puskesmas always keeps an active admin
(and an admin cannot remove its own admin rights), a changed password, role, area or status
ends the user's sessions, and every change leaves an audit row that never holds a password.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend import audit
from backend.auth.sessions import end_user_sessions
from backend.auth.users import User, UserError, active_admin_ids, create_user, get_user, update_user

# Changing any of these ends the user's sessions: the PWA must log in again to replicate the
# new area, and a reset password must lock out whoever knew the old one.
ENDS_SESSIONS = frozenset({"role", "scopes", "active", "password"})
_AUDITED = ("display_name", "role", "cluster", "scopes", "whole_puskesmas", "active")


def create_account(conn: sa.Connection, actor: User | None, data: dict) -> User:
    """Create a user (`actor` None: the CLI). No desa for a Puskesmas-wide role: every desa."""
    user = create_user(conn, **data)
    audit.record(conn, actor=actor, action="user.create", target_type="user",
                 target_id=str(user.id), detail={"username": user.username, **_state(user)})
    return user


def change_account(conn: sa.Connection, actor: User | None, user_id: int, changes: dict,
                   keep_session: str | None = None) -> User:
    """Apply `changes`; `keep_session` is the caller's own session when they change
    themselves (an admin resetting their own password stays logged in on this browser)."""
    found = get_user(conn, user_id=user_id)
    if found is None:
        raise UserError("id", "no such user", status=404)
    before = found[0]
    _keep_an_admin(conn, actor, before, changes)
    after = update_user(conn, before, changes)
    if changes.keys() & ENDS_SESSIONS:
        end_user_sessions(conn, after.id, keep=keep_session if _is(actor, after) else None)
    _audit_change(conn, actor, before, after, "password" in changes)
    return after


def _keep_an_admin(conn: sa.Connection, actor: User | None, user: User, changes: dict) -> None:
    deactivates = changes.get("active", True) is False
    demotes = changes.get("role", user.role) != "admin"
    if user.role != "admin" or not user.active or not (deactivates or demotes):
        return
    field = "active" if deactivates else "role"
    if _is(actor, user):
        raise UserError(field, "an admin cannot deactivate or demote itself; "
                               "another admin must do it", status=409)
    if active_admin_ids(conn) == [user.id]:
        raise UserError(field, "this is the last active admin; make another admin first",
                        status=409)


def _is(actor: User | None, user: User) -> bool:
    return actor is not None and actor.id == user.id


def _state(user: User) -> dict:
    return {"display_name": user.display_name, "role": user.role, "cluster": user.cluster,
            "scopes": sorted(user.scopes), "whole_puskesmas": user.whole_puskesmas,
            "active": user.active}


def _audit_change(conn: sa.Connection, actor: User | None, before: User, after: User,
                  password: bool) -> None:
    old, new = _state(before), _state(after)
    changed = {name: [old[name], new[name]] for name in _AUDITED if old[name] != new[name]}
    if changed:
        audit.record(conn, actor=actor, action="user.update", target_type="user",
                     target_id=str(after.id), detail={"username": after.username, **changed})
    if password:  # that it was set, by whom and when; never the password or its hash
        audit.record(conn, actor=actor, action="user.password", target_type="user",
                     target_id=str(after.id), detail={"username": after.username})

"""Staff accounts: the `User` value, lookups, creation and updates with their area scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from backend.auth.passwords import MIN_LENGTH, hash_password
from backend.auth.roles import ROLES, Role
from backend.auth.tables import user_scopes, users
from backend.projections.tables import places


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    cluster: str | None
    scopes: frozenset[str]
    active: bool = True
    # The area is the whole Puskesmas: every desa it has, including desa added later.
    whole_puskesmas: bool = False

    @property
    def role_info(self) -> Role:
        return ROLES[self.role]

    def may_write(self, doc_type: str) -> bool:
        return doc_type in self.role_info.writes

    def sees(self, desa: str | None) -> bool:
        return self.role_info.reads_records and desa in self.scopes


class UserError(ValueError):
    """A user request that cannot be honoured; `field` names the culprit."""

    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def _with_scopes() -> sa.Select:
    """Users with their scopes folded into one column: one query per lookup, not two (every
    request resolves its user; on a replication that is several requests per batch)."""
    own = (sa.select(sa.func.aggregate_strings(user_scopes.c.desa, ","))
           .where(user_scopes.c.user_id == users.c.id).scalar_subquery())
    every = (sa.select(sa.func.aggregate_strings(places.c.code, ","))
             .where(places.c.kind == "desa", places.c.code.is_not(None)).scalar_subquery())
    scopes = sa.case((users.c.whole_puskesmas, every), else_=own)
    return sa.select(users, scopes.label("scope_list"))


USER_ROWS = _with_scopes()


def user_from_row(row: sa.Row) -> User:
    """A row of USER_ROWS (or of a query extending it) as a User."""
    scopes = frozenset(row.scope_list.split(",")) if row.scope_list else frozenset()
    return User(row.id, row.username, row.display_name, row.role, row.cluster, scopes,
                row.active, row.whole_puskesmas)


def get_user(conn: sa.Connection, *, user_id: int | None = None,
             username: str | None = None) -> tuple[User, str] | None:
    """The user and their password hash, or None."""
    cond = users.c.id == user_id if user_id is not None else users.c.username == username
    row = conn.execute(USER_ROWS.where(cond)).first()
    return None if row is None else (user_from_row(row), row.password_hash)


def list_users(conn: sa.Connection) -> list[User]:
    ids = conn.execute(sa.select(users.c.id).order_by(users.c.username)).scalars().all()
    return [get_user(conn, user_id=i)[0] for i in ids]


def known_desa(conn: sa.Connection) -> set[str]:
    rows = conn.execute(sa.select(places.c.code).where(places.c.kind == "desa"))
    return {code for code in rows.scalars() if code}


def active_admin_ids(conn: sa.Connection) -> list[int]:
    """The active admins, their rows locked until the transaction ends (PostgreSQL; SQLite
    writers are serialised anyway): two requests removing two different admins cannot both
    count the other one as still there."""
    stmt = (sa.select(users.c.id).where(users.c.role == "admin", users.c.active)
            .order_by(users.c.id).with_for_update())
    return list(conn.execute(stmt).scalars())


def _area(role: str, scopes: list[str]) -> tuple[list[str], bool]:
    """The desa rows to store, and whether the area is the whole Puskesmas: a Puskesmas-wide
    role given no desa sees every desa, and so also a desa added later (no rows to forget)."""
    if role not in ROLES:
        raise UserError("role", f"unknown role {role!r}")
    if scopes:
        return sorted(set(scopes)), False
    if ROLES[role].puskesmas_wide:
        return [], True
    raise UserError("scopes", f"a {role} user needs at least one desa")


def _check(conn: sa.Connection, role: str, cluster: str | None, scopes: list[str]) -> None:
    if role == "klaster" and not cluster:
        raise UserError("cluster", "a klaster user needs a cluster")
    unknown = sorted(set(scopes) - known_desa(conn))
    if unknown:
        raise UserError("scopes", f"unknown Kemendagri desa codes: {', '.join(unknown)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserError("password", f"must be at least {MIN_LENGTH} characters")


def create_user(conn: sa.Connection, *, username: str, password: str, display_name: str,
                role: str, scopes: list[str], cluster: str | None = None,
                password_hash: str | None = None) -> User:
    """A new account; a Puskesmas-wide role given no desa gets every desa of the Puskesmas.
    `password_hash`, when given, must be `hash_password(password)`: bulk loaders sharing one
    password hash it once (Argon2 costs ~0.2 s per hash by design)."""
    _check_password(password)
    scopes, whole = _area(role, scopes)
    _check(conn, role, cluster, scopes)
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise UserError("username", f"username {username!r} is already taken", status=409)
    user_id = conn.execute(users.insert().values(
        username=username, display_name=display_name,
        password_hash=password_hash or hash_password(password),
        role=role, cluster=cluster, active=True, whole_puskesmas=whole,
        created_at=dt.datetime.now(dt.UTC),
    )).inserted_primary_key[0]
    _set_scopes(conn, user_id, scopes)
    return get_user(conn, user_id=user_id)[0]


def _stored_scopes(user: User) -> list[str]:
    return [] if user.whole_puskesmas else sorted(user.scopes)


def _new_area(user: User, role: str, changes: dict) -> tuple[list[str], bool]:
    if "scopes" in changes:
        return _area(role, changes["scopes"])
    widens = role in ROLES and ROLES[role].puskesmas_wide
    if role != user.role and (widens or user.role_info.puskesmas_wide):
        # To a Puskesmas-wide role: the whole Puskesmas. From one to a desa role: the caller
        # must say which desa, or a demoted kapus would keep every desa.
        return _area(role, [])
    return _stored_scopes(user), user.whole_puskesmas


def update_user(conn: sa.Connection, user: User, changes: dict) -> User:
    role = changes.get("role", user.role)
    cluster = changes.get("cluster", user.cluster)
    scopes, whole = _new_area(user, role, changes)
    _check(conn, role, cluster, scopes)
    values = {k: changes[k] for k in ("display_name", "role", "cluster", "active") if k in changes}
    if whole != user.whole_puskesmas:
        values["whole_puskesmas"] = whole
    if "password" in changes:
        _check_password(changes["password"])
        values["password_hash"] = hash_password(changes["password"])
    if values:
        conn.execute(users.update().where(users.c.id == user.id).values(**values))
    if scopes != _stored_scopes(user):
        conn.execute(user_scopes.delete().where(user_scopes.c.user_id == user.id))
        _set_scopes(conn, user.id, scopes)
    return get_user(conn, user_id=user.id)[0]


def _set_scopes(conn: sa.Connection, user_id: int, scopes: list[str]) -> None:
    if scopes:
        conn.execute(user_scopes.insert(),
                     [{"user_id": user_id, "desa": desa} for desa in sorted(set(scopes))])

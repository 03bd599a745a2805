"""A family's reminders on its own phone (docs/push.md, "Family subscription and consent").

Subscribing turns an invite's token into three things in one transaction, or into nothing:
the `subscription_consent` document (who consented, when, for which household, from which
invite) and the invite's `used_at`, both written through the one write path as the system
(`write_docs(conn, docs, None)`: they replicate to the desa's tablets and are projected); and
the push subscription row (`subscriptions.save`) with a new random *family key*. The key is
returned once to the family page, which keeps it; the row holds only its SHA-256. With the key
the page reads the household's upcoming reminders and says "Berhenti", which revokes the
consent (again through the write path) and deletes the key's subscription, dropping its queued
messages.

The household has no login: the token and then the key are the only credentials, each
scoped to one household, and neither reveals anything by itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from backend.documents.field_ts import apply_changes
from backend.followup.inputs import bodies
from backend.projections.tables import subscription_consents
from backend.push import invites, subscriptions
from backend.push.tables import push_subscriptions
from backend.writes import write_docs

# created_by / updated_by of what the server writes for a family (it has no account).
SYSTEM = "siklus-keluarga"
SCHEMA_VERSION = 1
KEY = invites.TOKEN  # a family key has the token's shape: 32 random bytes, base64url


class FamilyRefused(Exception):
    """A family key that opens nothing (unknown, or its consent was withdrawn)."""

    def __init__(self, status: int, message: str, forget: str | None = None):
        super().__init__(message)
        self.status, self.message = status, message
        self.forget = forget   # a subscription to delete (its consent was revoked)


class WriteRefused(RuntimeError):
    """The write path refused a document the server wrote for a family (a bug, or a race:
    a second subscribe with the same token that lost; the caller answers 409)."""


@dataclass(frozen=True)
class Subscribed:
    key: str              # the family key, shown once
    given_at: str
    consent_id: str
    household_id: str
    subscription_id: str


@dataclass(frozen=True)
class Family:
    subscription_id: str
    household_id: str
    desa: str
    consent_id: str
    given_by: str
    given_at: str


def _stamp(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")


def _write(conn: sa.Connection, docs: list[dict]) -> None:
    failed = [r for r in write_docs(conn, docs, None) if "error" in r]
    if failed:
        raise WriteRefused("; ".join(f"{r.get('id')}: {r['error']}: {r.get('reason')}"
                                     for r in failed))


def _edited(doc: dict, changes: dict, now: str) -> dict:
    return {**apply_changes(doc, changes, now), "updated_at": now, "updated_by": SYSTEM}


def subscribe(conn: sa.Connection, token: object, given_by: str, raw: object, *,
              now: dt.datetime, allow_private: bool, user_agent: str | None = None) -> Subscribed:
    """Consent and subscribe with an invite's token (InviteRefused, BadSubscription or
    WriteRefused leave nothing behind: the caller's transaction rolls back)."""
    invite = invites.open_invite(conn, token, now)
    sub = subscriptions.check(raw, allow_private=allow_private)
    stamp = _stamp(now)
    consent = {
        "_id": f"subscription_consent:{uuid.uuid4()}", "type": "subscription_consent",
        "schema": SCHEMA_VERSION, "desa": invite.desa, "created_at": stamp, "created_by": SYSTEM,
        "household": invite.household_id, "invite": invite.id, "given_at": stamp,
        "given_by": given_by.strip(),
    }
    invite_doc = bodies(conn, [invite.id])[invite.id]
    _write(conn, [consent, _edited(invite_doc, {"used_at": stamp}, stamp)])
    key = secrets.token_urlsafe(32)
    sub_id = subscriptions.save(conn, sub, kind="family", now=now, user_agent=user_agent,
                                household_id=invite.household_id, desa=invite.desa,
                                consent_id=consent["_id"], family_key_hash=invites.digest(key))
    return Subscribed(key, stamp, consent["_id"], invite.household_id, sub_id)


UNKNOWN_KEY = (401, "This phone is not subscribed (any more). Ask the kader or bidan for a "
                    "new QR code.")
STOPPED = (410, "The reminders for this family were stopped.")


def family(conn: sa.Connection, key: object) -> Family:
    """The household a family key belongs to while its consent stands, or FamilyRefused. A key
    whose consent was revoked elsewhere (the kader's "Keluarga minta berhenti") is refused
    with its subscription named in `forget`, for the caller to delete after the rollback."""
    if not isinstance(key, str) or not KEY.match(key):
        raise FamilyRefused(*UNKNOWN_KEY)
    row = conn.execute(
        sa.select(push_subscriptions.c.id, push_subscriptions.c.household_id,
                  push_subscriptions.c.desa, subscription_consents.c.id.label("consent_id"),
                  subscription_consents.c.given_by, subscription_consents.c.given_at,
                  subscription_consents.c.revoked_at)
        .join(subscription_consents,
              subscription_consents.c.id == push_subscriptions.c.consent_id, isouter=True)
        .where(push_subscriptions.c.family_key_hash == invites.digest(key),
               push_subscriptions.c.kind == "family")).first()
    if row is None:
        raise FamilyRefused(*UNKNOWN_KEY)
    if row.consent_id is None or row.revoked_at:
        raise FamilyRefused(*STOPPED, forget=row.id)
    return Family(row.id, row.household_id, row.desa, row.consent_id, row.given_by,
                  row.given_at)


def forget(conn: sa.Connection, subscription_id: str) -> None:
    """Delete a subscription whose consent was revoked on a tablet."""
    subscriptions.delete(conn, reason="consent revoked", sub_id=subscription_id)


def stop(conn: sa.Connection, found: Family, now: dt.datetime) -> None:
    """"Berhenti": the consent revoked through the write path, the key's subscription deleted
    (its queued messages dropped)."""
    stamp = _stamp(now)
    consent = bodies(conn, [found.consent_id])[found.consent_id]
    _write(conn, [_edited(consent, {"revoked_at": stamp}, stamp)])
    subscriptions.delete(conn, reason="family stopped reminders", sub_id=found.subscription_id)

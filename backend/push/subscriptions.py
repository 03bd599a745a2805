"""Push subscriptions: the one check every browser subscription passes before it is stored, and
the rows that say where to deliver (docs/push.md, "Bad input").

A subscription is what `pushManager.subscribe()` returns: an endpoint URL on the browser's push
service and two keys. The server will POST to that URL, so an endpoint is a request the server
makes on a device's say-so: it must be https, and in production it must not name a private,
loopback or link-local address (or a name that resolves to one) — else a phone could make the
server call the Puskesmas's own network (SSRF). The keys must decode to exactly what RFC 8291
needs: a 65-byte uncompressed P-256 point and a 16-byte auth secret.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa

from backend.push.tables import push_outbox, push_subscriptions

MAX_ENDPOINT = 1024
P256DH_BYTES = 65   # uncompressed P-256 point: 0x04 || X || Y
AUTH_BYTES = 16


class BadSubscription(ValueError):
    """A subscription refused before anything is stored; the message is for the caller."""


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str   # base64url as the browser gave it
    auth: str


Resolver = Callable[[str], list[str]]


def _resolve(host: str) -> list[str]:
    """Every address `host` resolves to (an address literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadSubscription(f"the push service host {host!r} does not resolve") from exc
    return sorted({info[4][0] for info in infos})


def _b64url(value: object, name: str, size: int) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise BadSubscription(f"keys.{name} must be a base64url string")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadSubscription(f"keys.{name} is not base64url") from exc
    if len(raw) != size:
        raise BadSubscription(f"keys.{name} must decode to {size} bytes, not {len(raw)}")
    if name == "p256dh" and raw[0] != 0x04:
        raise BadSubscription("keys.p256dh must be an uncompressed P-256 point")
    return value


def is_public(address: str) -> bool:
    """A global unicast address (an IPv4-mapped IPv6 one judged as its IPv4): what a push
    service may be on; the sender connects to nothing else (sender._PublicOnly)."""
    ip = ipaddress.ip_address(address.split("%", maxsplit=1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check(raw: object, *, allow_private: bool, resolve: Resolver = _resolve) -> Subscription:
    """The subscription in `raw` (the browser's `PushSubscription.toJSON()`), or BadSubscription.

    `allow_private` (PUSH_ALLOW_PRIVATE_ENDPOINTS) admits private and loopback hosts: the tests'
    local push service. https is required either way."""
    if not isinstance(raw, dict):
        raise BadSubscription("the subscription must be an object with endpoint and keys")
    endpoint, keys = raw.get("endpoint"), raw.get("keys")
    if not isinstance(endpoint, str) or not endpoint:
        raise BadSubscription("endpoint is required")
    if len(endpoint) > MAX_ENDPOINT:
        raise BadSubscription(f"endpoint is longer than {MAX_ENDPOINT} characters")
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname:
        raise BadSubscription("endpoint must be an https URL")
    if parts.username or parts.password:
        raise BadSubscription("endpoint must not carry credentials")
    if not allow_private:
        addresses = resolve(parts.hostname)
        if not addresses or not all(is_public(a) for a in addresses):
            raise BadSubscription("endpoint must be on a public push service, not a private "
                                  "or loopback address")
    if not isinstance(keys, dict):
        raise BadSubscription("keys (p256dh, auth) are required")
    return Subscription(endpoint, _b64url(keys.get("p256dh"), "p256dh", P256DH_BYTES),
                        _b64url(keys.get("auth"), "auth", AUTH_BYTES))


def save(conn: sa.Connection, sub: Subscription, *, kind: str, now: dt.datetime,
         user_agent: str | None = None, username: str | None = None,
         household_id: str | None = None, desa: str | None = None,
         consent_id: str | None = None, family_key_hash: str | None = None) -> str:
    """Store `sub` for a staff user or a family; the same endpoint subscribed again replaces
    its row (a browser re-subscribing, or a phone passed from staff to family). Its id."""
    conn.execute(sa.delete(push_subscriptions).where(
        push_subscriptions.c.endpoint == sub.endpoint))
    sub_id = uuid.uuid4().hex
    conn.execute(sa.insert(push_subscriptions).values(
        id=sub_id, kind=kind, endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth,
        household_id=household_id, desa=desa, consent_id=consent_id,
        family_key_hash=family_key_hash, username=username,
        user_agent=(user_agent or "")[:200] or None,
        created_at=now.astimezone(dt.UTC).isoformat(timespec="seconds")))
    return sub_id


def delete(conn: sa.Connection, *, reason: str, sub_id: str | None = None,
           endpoint: str | None = None, household_id: str | None = None) -> int:
    """Remove subscriptions (a 404/410 from the push service, an unsubscribe, "Berhenti");
    their queued messages are marked dropped with `reason`. How many were removed."""
    where = [c for c in (
        push_subscriptions.c.id == sub_id if sub_id else None,
        push_subscriptions.c.endpoint == endpoint if endpoint else None,
        push_subscriptions.c.household_id == household_id if household_id else None,
    ) if c is not None]
    if not where:
        raise ValueError("say which subscriptions to delete")
    ids = conn.execute(sa.select(push_subscriptions.c.id).where(sa.or_(*where))).scalars().all()
    if not ids:
        return 0
    conn.execute(sa.update(push_outbox).where(
        push_outbox.c.subscription_id.in_(ids), push_outbox.c.status == "queued",
    ).values(status="dropped", last_error=reason[:300]))
    conn.execute(sa.delete(push_subscriptions).where(push_subscriptions.c.id.in_(ids)))
    return len(ids)

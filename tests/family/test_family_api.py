"""The family page's API (docs/push.md, "Family subscription and consent"): every bad token
is refused with nothing stored, a good one consents and subscribes in one transaction through
the write path, the family key reads only its household, and "Berhenti" revokes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.db import read_transaction, write_transaction
from backend.projections.tables import subscription_consents, subscription_invites
from backend.push.tables import push_outbox, push_subscriptions
from backend.sync.tables import documents
from tests import factories
from tests.family.conftest import browser_subscription, invite_doc, new_token, write_as

pytestmark = pytest.mark.usefixtures("home")


def subscribe(client, token, **extra):
    body = {"token": token, "given_by": "Ibu Siti", "consent": True,
            "subscription": browser_subscription(), **extra}
    return client.post("/api/v1/family/subscribe", json=body)


def stored() -> dict:
    with read_transaction() as conn:
        return {
            "consents": conn.execute(sa.select(subscription_consents)).all(),
            "subscriptions": conn.execute(sa.select(push_subscriptions)).all(),
            "consent_docs": conn.execute(sa.select(documents.c.id).where(
                documents.c.type == "subscription_consent")).all(),
            "used": conn.execute(sa.select(subscription_invites.c.id).where(
                subscription_invites.c.used_at.is_not(None))).all(),
        }


def nothing_stored() -> bool:
    return not any(stored().values())


def test_a_good_token_opens_the_invite_and_says_nothing_of_the_household(client, invite, app):
    token, doc = invite()
    response = client.post("/api/v1/family/invite", json={"token": token})
    assert response.status_code == 200, response.json
    assert response.json["expires_at"] == doc["expires_at"]
    assert response.json["daily_cap"] == app.config["PUSH_HOUSEHOLD_DAILY_CAP"]
    assert "Budi" not in response.get_data(as_text=True)
    assert nothing_stored()


@pytest.mark.parametrize("kind", ["unknown", "forged", "malformed"])
def test_unknown_forged_and_malformed_tokens_get_the_same_404(client, invite, kind):
    token, _doc = invite()
    bad = {"unknown": new_token(), "forged": token[:-1] + ("A" if token[-1] != "A" else "B"),
           "malformed": token + "=="}[kind]
    for url in ("/api/v1/family/invite", "/api/v1/family/subscribe"):
        response = (client.post(url, json={"token": bad}) if url.endswith("invite")
                    else subscribe(client, bad))
        assert response.status_code == 404, response.json
        assert response.content_type == "application/problem+json"
        assert response.json["detail"].startswith("This QR code is not known")
    assert nothing_stored()


@pytest.mark.parametrize(("fields", "status", "word"), [
    ({"days": -0.001}, 410, "expired"),
    ({"revoked_at": factories.TS}, 410, "withdrawn"),
    ({"used_at": factories.TS}, 409, "already been used"),
])
def test_expired_revoked_and_used_invites_are_refused_with_nothing_stored(
        client, invite, fields, status, word):
    token, _doc = invite(**fields)
    for response in (client.post("/api/v1/family/invite", json={"token": token}),
                     subscribe(client, token)):
        assert response.status_code == status, response.json
        assert word in response.json["detail"]
    after = stored()
    assert not after["consents"] and not after["subscriptions"] and not after["consent_docs"]


def test_subscribe_writes_consent_and_used_invite_through_the_write_path(client, invite, home):
    token, doc = invite()
    response = subscribe(client, token, given_by="  Ibu Siti  ")
    assert response.status_code == 201, response.json
    key = response.json["key"]
    assert response.json["given_by"] == "Ibu Siti" and len(key) == 43
    with read_transaction() as conn:
        consent = conn.execute(sa.select(subscription_consents)).one()
        invite_row = conn.execute(sa.select(subscription_invites)).one()
        sub = conn.execute(sa.select(push_subscriptions)).one()
        body = json.loads(conn.execute(sa.select(documents.c.body).where(
            documents.c.id == consent.id)).scalar_one())
        actions = conn.execute(sa.select(audit_log.c.action)).scalars().all()
    # The consent document, projected, replicates to the desa's tablets like any record.
    assert (consent.household_id, consent.invite_id, consent.given_by) == (
        home["_id"], doc["_id"], "Ibu Siti")
    assert consent.desa == home["desa"] and consent.revoked_at is None
    assert body["created_by"] == "siklus-keluarga" and body["given_at"] == consent.given_at
    assert invite_row.used_at is not None
    # The row holds only the key's hash; the key is never stored.
    assert (sub.kind, sub.household_id, sub.consent_id) == ("family", home["_id"], consent.id)
    assert sub.family_key_hash != key and key not in json.dumps(body)
    assert "family.subscribe" in actions
    # The token can never be used again.
    again = subscribe(client, token)
    assert again.status_code == 409
    assert len(stored()["subscriptions"]) == 1


def test_a_subscription_the_check_refuses_stores_nothing(client, invite, app):
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = False   # production
    token, _doc = invite()
    good = browser_subscription()
    cases = {
        "not https": {**good, "endpoint": "http://push.example/ep/1"},
        "loopback (SSRF)": {**good, "endpoint": "https://127.0.0.1/ep/1"},
        "private (SSRF)": {**good, "endpoint": "https://10.1.2.3/ep/1"},
        "short p256dh": {**good, "keys": {**good["keys"], "p256dh": good["keys"]["p256dh"][:40]}},
        "long auth": {**good, "keys": {**good["keys"], "auth": good["keys"]["auth"] * 2}},
    }
    for name, sub in cases.items():
        response = subscribe(client, token, subscription=sub)
        assert response.status_code == 400, (name, response.json)
        assert response.content_type == "application/problem+json"
    assert nothing_stored()
    # The token was not spent by the refusals.
    assert client.post("/api/v1/family/invite", json={"token": token}).status_code == 200


def test_consent_must_be_ticked_and_named(client, invite):
    token, _doc = invite()
    assert subscribe(client, token, consent=False).status_code == 422
    assert subscribe(client, token, given_by="").status_code == 422
    assert subscribe(client, token, given_by="x" * 121).status_code == 422
    assert nothing_stored()


def test_berhenti_revokes_consent_and_deletes_the_subscription(client, invite):
    token, _doc = invite()
    key = subscribe(client, token).json["key"]
    with read_transaction() as conn:
        sub_id = conn.execute(sa.select(push_subscriptions.c.id)).scalar_one()
    with write_transaction() as conn:   # a reminder queued for this phone
        conn.execute(sa.insert(push_outbox).values(
            key="k1", subscription_id=sub_id, kind="family", rule="imunisasi", payload="{}",
            ttl=60, urgency="normal", status="queued", attempts=0, not_before="x",
            expires_at="x", next_attempt_at="x", created_at="x"))
    response = client.post("/api/v1/family/stop", headers={"X-Family-Key": key})
    assert response.status_code == 204, response.json
    with read_transaction() as conn:
        consent = conn.execute(sa.select(subscription_consents)).one()
        outbox = conn.execute(sa.select(push_outbox.c.status)).scalar_one()
        assert conn.execute(sa.select(push_subscriptions)).all() == []
    assert consent.revoked_at is not None
    assert outbox == "dropped"
    # The key is spent.
    assert client.post("/api/v1/family/stop",
                       headers={"X-Family-Key": key}).status_code == 401


def test_a_consent_revoked_on_the_tablet_ends_the_key(client, invite):
    """The kader records "Keluarga minta berhenti" (consent revoked_at, replicated): the
    family page's key answers 410 and its subscription is gone."""
    token, _doc = invite()
    key = subscribe(client, token).json["key"]
    with read_transaction() as conn:
        consent_id = conn.execute(sa.select(subscription_consents.c.id)).scalar_one()
        body = json.loads(conn.execute(sa.select(documents.c.body).where(
            documents.c.id == consent_id)).scalar_one())
        rev = conn.execute(sa.select(documents.c.winner).where(
            documents.c.id == consent_id)).scalar_one()
    revoked = {**body, "_id": consent_id, "_rev": rev, "revoked_at": factories.TS,
               "updated_at": factories.TS, "updated_by": "kader_a",
               "field_ts": {"revoked_at": factories.TS}}
    assert write_as("kader_a", [revoked])[0].get("ok")
    response = client.post("/api/v1/family/stop", headers={"X-Family-Key": key})
    assert response.status_code == 410
    assert stored()["subscriptions"] == []


def test_unknown_family_keys_are_refused(client):
    for key in (None, "", "x" * 43, new_token()):
        headers = {"X-Family-Key": key} if key is not None else {}
        assert client.post("/api/v1/family/stop", headers=headers).status_code == 401


def test_wrong_tokens_are_throttled_per_address(client, invite, app):
    app.config["LOGIN_ADDRESS_LIMIT"] = 3
    token, _doc = invite()
    for _ in range(3):
        assert client.post("/api/v1/family/invite",
                           json={"token": new_token()}).status_code == 404
    locked = client.post("/api/v1/family/invite", json={"token": token})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    other = app.test_client()
    response = other.post("/api/v1/family/invite", json={"token": token},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 200


def test_good_tokens_do_not_count_as_guesses(client, invite, app):
    app.config["LOGIN_ADDRESS_LIMIT"] = 2
    token, _doc = invite()
    for _ in range(4):
        assert client.post("/api/v1/family/invite", json={"token": token}).status_code == 200


def test_a_desa_a_tablet_cannot_write_an_invite_for_a_desa_b_household(app, world):
    """The reference rule (backend/sync/references.py): an invite's household must be in the
    invite's desa, and the writer must see that desa."""
    far = factories.household(factories.DESA_B)
    assert write_as("pustu_b", [far])[0].get("ok")
    in_b = invite_doc(far, new_token())
    named_from_a = {**invite_doc(far, new_token()), "desa": factories.DESA_A}
    refused = write_as("kader_a", [in_b, named_from_a])
    # The first is outside kader_a's area; the second claims desa A but names a desa-B
    # household: the reference rule refuses it.
    assert [r.get("code") for r in refused] == ["area", "reference_scope"], refused
    with read_transaction() as conn:
        assert conn.execute(sa.select(subscription_invites)).all() == []


def test_a_family_key_reads_only_its_own_household(client, invite, app):
    """Two households of one desa subscribe; each key lists its own child by first name and
    date (backend.reminders.upcoming), never the other's, and nothing beyond the name, the
    kind and the date."""
    other = factories.household(head_name="Agus Saputra")
    child = factories.person(household=other["_id"], name="Rudi Saputra", sex="L",
                             birth_date=(dt.date.today() - dt.timedelta(days=75)).isoformat())
    assert all(r.get("ok") for r in write_as("kader_a", [other, child]))
    token_a, _doc = invite()
    token_b = new_token()
    assert write_as("kader_a", [invite_doc(other, token_b)])[0].get("ok")
    key_a = subscribe(client, token_a).json["key"]
    key_b = subscribe(client, token_b, given_by="Ibu Rina").json["key"]
    seen = {}
    for name, key in (("a", key_a), ("b", key_b)):
        response = client.get("/api/v1/family/reminders", headers={"X-Family-Key": key})
        assert response.status_code == 200, response.json
        seen[name] = response.json
    names_a = {r["first_name"] for r in seen["a"]["reminders"]}
    names_b = {r["first_name"] for r in seen["b"]["reminders"]}
    assert "Budi" in names_a and "Rudi" not in names_a, seen["a"]
    assert "Rudi" in names_b and "Budi" not in names_b, seen["b"]
    assert seen["b"]["given_by"] == "Ibu Rina"
    for item in seen["a"]["reminders"] + seen["b"]["reminders"]:
        assert set(item) <= {"first_name", "kind", "date", "remind_on", "rule"}, item
        assert "Santoso" not in json.dumps(item) and "Saputra" not in json.dumps(item)
    assert client.get("/api/v1/family/reminders").status_code == 401

"""The VAPID identity: a subject push services accept, a key that signs, fresh claims."""

from __future__ import annotations

import pytest

from backend.instance_secrets import _new_vapid_pair
from backend.push import sender, vapid


@pytest.mark.parametrize("subject", [
    "mailto:admin@pkm-cikalong.go.id", "https://pkm-cikalong.go.id/kontak"])
def test_a_mailto_or_https_subject_is_accepted(subject):
    assert vapid.check_subject(subject) == subject


@pytest.mark.parametrize("subject", [
    None, "", "admin@pkm.go.id", "http://pkm.go.id", "mailto:admin", "mailto:admin@localhost",
    "https://localhost/kontak", "https://127.0.0.1", "mailto:a@LOCALHOST.", "https://x.localhost"])
def test_any_other_subject_is_refused(subject):
    with pytest.raises(vapid.VapidConfigError):
        vapid.check_subject(subject)


def test_claims_are_a_new_dict_for_each_endpoint():
    one = vapid.claims("https://fcm.googleapis.com/fcm/send/abc", "mailto:a@b.id", now=1000)
    two = vapid.claims("https://web.push.apple.com:443/xyz", "mailto:a@b.id", now=1000)
    assert one == {"aud": "https://fcm.googleapis.com", "sub": "mailto:a@b.id",
                   "exp": 1000 + 12 * 3600}
    assert two["aud"] == "https://web.push.apple.com:443" and one is not two


def test_the_sender_refuses_to_start_with_a_localhost_subject(push_app):
    push_app.config["VAPID_SUBJECT"] = "mailto:admin@localhost"
    with pytest.raises(vapid.VapidConfigError, match="localhost"):
        sender.check(push_app)
    with pytest.raises(vapid.VapidConfigError):
        sender.send_due(push_app)


def test_the_sender_refuses_a_public_key_that_is_not_the_private_keys(push_app, vapid_pair):
    push_app.config["VAPID_PUBLIC_KEY"] = _new_vapid_pair()[1]
    with pytest.raises(vapid.VapidConfigError, match="public half"):
        sender.check(push_app)

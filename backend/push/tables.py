"""Push state at the Puskesmas (docs/push.md): device subscriptions and the outbox.

Operational rows, like the audit log: not replicated, and `flask reproject` leaves them alone.
What a family decides (consent, "Berhenti") is a `subscription_consent` document written through
the one write path; a subscription row is only where to deliver.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

ID = sa.String(200)

# One row per browser push subscription (its endpoint is unique). A family's phone belongs to a
# household (and the consent it gave); a staff device to a user. 404/410 from the push service
# deletes the row.
push_subscriptions = sa.Table(
    "push_subscriptions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),       # uuid4 hex
    sa.Column("kind", sa.String(8), nullable=False),        # family | staff
    sa.Column("endpoint", sa.String(1024), nullable=False, unique=True),
    sa.Column("p256dh", sa.String(100), nullable=False),    # base64url, 65-byte P-256 point
    sa.Column("auth", sa.String(40), nullable=False),       # base64url, 16-byte secret
    sa.Column("household_id", ID, index=True),              # family
    sa.Column("consent_id", ID),                            # family: the consent document
    sa.Column("desa", sa.String(16)),                       # family: the household's desa
    sa.Column("family_key_hash", sa.String(64), unique=True),  # family page's key (SHA-256)
    sa.Column("username", sa.String(64), index=True),       # staff
    sa.Column("user_agent", sa.String(200)),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("last_sent_at", sa.String(40)),
)

# One row per message to one subscription: recipient, reason and window make its idempotency
# `key`, so a re-run of the scheduler (or two workers) never queues it twice. Status: queued,
# sent, failed (gave up after retries), dropped (the subscription went away, a payload the
# service refused, consent revoked), expired (its window closed before it could be sent).
push_outbox = sa.Table(
    "push_outbox", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("subscription_id", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),        # family | staff
    sa.Column("household_id", ID, index=True),              # family: for the daily cap
    sa.Column("username", sa.String(64)),                   # staff
    sa.Column("rule", sa.String(40), nullable=False),       # reminders.json rule code
    sa.Column("payload", sa.Text, nullable=False),          # JSON: title, body, url, tag
    sa.Column("topic", sa.String(32)),                      # RFC 8030 Topic (collapses repeats)
    sa.Column("ttl", sa.Integer, nullable=False),           # seconds the push service keeps it
    sa.Column("urgency", sa.String(10), nullable=False),    # very-low | low | normal | high
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("not_before", sa.String(40), nullable=False),  # UTC ISO: earliest send
    sa.Column("expires_at", sa.String(40), nullable=False),  # UTC ISO: expired after this
    sa.Column("next_attempt_at", sa.String(40), nullable=False),  # UTC ISO
    sa.Column("last_error", sa.String(300)),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("sent_at", sa.String(40)),
    sa.Index("ix_push_outbox_status_next", "status", "next_attempt_at"),
    sa.Index("ix_push_outbox_household_sent", "household_id", "sent_at"),
)

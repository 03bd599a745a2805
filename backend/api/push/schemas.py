"""Web push over the API: the VAPID key, a staff device's subscription, the outbox report."""

from marshmallow import EXCLUDE, Schema, fields, validate

from backend.push.report import STATUSES


class VapidKeySchema(Schema):
    public_key = fields.String(required=True, metadata={
        "description": "the server's VAPID public key, base64url (65-byte uncompressed P-256 "
                       "point): `applicationServerKey` for pushManager.subscribe"})


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(metadata={"description": "base64url, 65-byte P-256 point"})
    auth = fields.String(metadata={"description": "base64url, 16-byte secret"})


class SubscriptionSchema(Schema):
    """What `PushSubscription.toJSON()` gives; checked by backend/push/subscriptions.py, which
    answers 400 with the reason (not https, a private address, keys of the wrong length)."""

    class Meta:
        unknown = EXCLUDE   # expirationTime: the push service's business

    # Raw: the one check of a subscription is subscriptions.check, and it says what is wrong.
    endpoint = fields.Raw(load_default=None, metadata={"type": "string", "format": "uri"})
    keys = fields.Raw(load_default=None, metadata={
        "type": "object", "properties": {"p256dh": {"type": "string"}, "auth": {"type": "string"}}})


class EndpointSchema(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class DeviceSchema(Schema):
    id = fields.String()
    service = fields.String(metadata={"description": "the push service's host, not the endpoint"})
    endpoint_sha256 = fields.String(metadata={
        "description": "SHA-256 (hex) of the endpoint: a browser finds its own device by it"})
    user_agent = fields.String(allow_none=True)
    created_at = fields.String()
    last_sent_at = fields.String(allow_none=True)


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema))


class TestResultSchema(Schema):
    queued = fields.Integer(metadata={"description": "test messages queued: one per device"})
    sent = fields.Integer(metadata={"description": "accepted by the push service"})
    errors = fields.List(fields.String(), metadata={
        "description": "what the push service answered for those not sent"})


def _status_counts() -> dict:
    return {status: fields.Integer() for status in STATUSES}


ByStatusSchema = Schema.from_dict(_status_counts(), name="OutboxByStatus")
ByRuleSchema = Schema.from_dict({"rule": fields.String(), **_status_counts()},
                                name="OutboxByRule")


class OldestQueuedSchema(Schema):
    rule = fields.String()
    created_at = fields.String()
    not_before = fields.String(metadata={"description": "earliest send (the daytime window)"})
    attempts = fields.Integer()


class FailureSchema(Schema):
    created_at = fields.String()
    next_attempt_at = fields.String()
    rule = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True, metadata={
        "description": "the push service's answer; URLs cut to their host"})


class JobSchema(Schema):
    """A worker job as backend/worker/status.py reports it (times UTC ISO)."""

    name = fields.String()
    interval_seconds = fields.Float()
    last_started_at = fields.String(allow_none=True)
    last_finished_at = fields.String(allow_none=True)
    last_ok_at = fields.String(allow_none=True)
    ok = fields.Boolean(allow_none=True, metadata={"description": "the last run; null: never ran"})
    last_error = fields.String(allow_none=True)
    last_duration_ms = fields.Integer(allow_none=True)
    runs = fields.Integer()
    failures = fields.Integer()
    next_due_at = fields.String()
    worker_alive = fields.Boolean(metadata={"description": "a worker holds a live lease"})


class OutboxReportSchema(Schema):
    now = fields.String(metadata={"description": "the server's time (UTC), to read ages by"})
    by_status = fields.Nested(ByStatusSchema)
    by_rule = fields.List(fields.Nested(ByRuleSchema))
    oldest_queued = fields.Nested(OldestQueuedSchema, allow_none=True)
    failures = fields.List(fields.Nested(FailureSchema))
    jobs = fields.List(fields.Nested(JobSchema))

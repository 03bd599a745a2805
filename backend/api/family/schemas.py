"""The family page's requests and answers (no login: the token or the family key decides)."""

from marshmallow import Schema, fields, validate


class TokenSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100),
                          metadata={"description": "The QR code's token (the URL fragment "
                                                   "after `/keluarga/#`)."})


class InviteSchema(Schema):
    expires_at = fields.String(metadata={"description": "When the QR code stops working."})
    daily_cap = fields.Integer(metadata={"description": "PUSH_HOUSEHOLD_DAILY_CAP"})
    window_start = fields.String(metadata={"description": "PUSH_WINDOW_START (local time)"})
    window_end = fields.String(metadata={"description": "PUSH_WINDOW_END (local time)"})


class KeysSchema(Schema):
    p256dh = fields.String(required=True)
    auth = fields.String(required=True)


class BrowserSubscriptionSchema(Schema):
    """`PushSubscription.toJSON()`; checked by backend/push/subscriptions.py."""

    endpoint = fields.String(required=True)
    expiration_time = fields.Raw(allow_none=True, data_key="expirationTime")
    keys = fields.Nested(KeysSchema, required=True)


class SubscribeSchema(TokenSchema):
    given_by = fields.String(required=True, validate=validate.Length(min=1, max=120),
                             metadata={"description": "Who consents, e.g. \"Ibu Siti\"."})
    consent = fields.Boolean(required=True, validate=validate.Equal(True),
                             metadata={"description": "The consent box was ticked."})
    subscription = fields.Nested(BrowserSubscriptionSchema, required=True)


class SubscribedSchema(Schema):
    key = fields.String(metadata={"description": "The family key: sent back in X-Family-Key; "
                                                 "shown once, stored only hashed."})
    given_by = fields.String()
    given_at = fields.String()


class RemindersSchema(Schema):
    given_by = fields.String()
    given_at = fields.String()
    reminders = fields.List(fields.Dict(), metadata={
        "description": "backend.reminders.upcoming: a first name, the kind of reminder and a "
                       "date each; never a diagnosis, NIK or result."})

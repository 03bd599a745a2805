"""Web push over the API: the VAPID key, a staff device's subscription, the outbox report."""

from marshmallow import Schema, fields


class VapidKeySchema(Schema):
    public_key = fields.String(required=True, metadata={
        "description": "the server's VAPID public key, base64url (65-byte uncompressed P-256 "
                       "point): `applicationServerKey` for pushManager.subscribe"})

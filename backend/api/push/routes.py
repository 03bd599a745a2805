"""Web push for staff devices (docs/push.md "Staff notifications"): the VAPID public key every
subscribing page needs (the family page too, so it asks for no login)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.push.schemas import VapidKeySchema

blp = Blueprint("push", __name__, url_prefix="/push", description="Web push")


@blp.route("/vapid-key")
class VapidKey(MethodView):
    @blp.response(200, VapidKeySchema)
    def get(self):
        """The VAPID public key to subscribe with (public: no login)."""
        return {"public_key": current_app.config["VAPID_PUBLIC_KEY"]}

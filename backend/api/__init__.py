"""The REST API under /api/v1 (flask-smorest): one package per resource, registered in order."""

from __future__ import annotations

from flask import Flask

from backend.api.audit.routes import blp as audit_blp
from backend.api.auth.routes import blp as auth_blp
from backend.api.encounters.routes import blp as encounters_blp
from backend.api.family.routes import blp as family_blp
from backend.api.flow.desk import blp as flow_desk_blp
from backend.api.flow.display import blp as flow_display_blp
from backend.api.flow.organisation import blp as flow_organisation_blp
from backend.api.flow.queue import blp as flow_queue_blp
from backend.api.households.routes import blp as households_blp
from backend.api.openapi import ProblemResponsesPlugin, SiklusApi, security_schemes
from backend.api.persons.routes import blp as persons_blp
from backend.api.places.routes import blp as places_blp
from backend.api.push.routes import blp as push_blp
from backend.api.pws import blp as pws_blp  # importing the package registers its routes
from backend.api.records.routes import blp as records_blp
from backend.api.review import blp as review_blp  # importing the package registers its routes
from backend.api.tasks.routes import blp as tasks_blp
from backend.api.users.routes import blp as users_blp

BLUEPRINTS = (auth_blp, places_blp, users_blp, households_blp, persons_blp, encounters_blp,
              tasks_blp, records_blp, audit_blp, pws_blp, review_blp, push_blp,
              family_blp, flow_queue_blp, flow_organisation_blp, flow_desk_blp,
              flow_display_blp)


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="Siklus API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Served from pwa/static/vendor (copied from npm swagger-ui-dist), never a CDN.
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",
        # Keep what the user typed into "Authorize" (the CSRF token) across page reloads.
        OPENAPI_SWAGGER_UI_CONFIG={"persistAuthorization": True},
    )
    api = SiklusApi(app, spec_kwargs={"extra_plugins": [ProblemResponsesPlugin()]})
    security_schemes(api, app.config["SESSION_COOKIE_NAME"])
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")

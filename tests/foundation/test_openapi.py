"""OpenAPI document and its docs UI, served from local assets only."""

from __future__ import annotations

from flask_smorest import Api

from backend import create_app
from backend.api.openapi import SiklusApi


def test_openapi_lists_every_resource_with_summaries(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/auth/login", "/api/v1/persons", "/api/v1/persons/{doc_id}",
                 "/api/v1/households", "/api/v1/encounters", "/api/v1/tasks", "/api/v1/users",
                 "/api/v1/places"):
        assert path in spec["paths"], path
    assert all(op.get("summary") for ops in spec["paths"].values() for op in ops.values()
               if isinstance(op, dict) and "responses" in op)


def test_docs_ui_loads_swagger_from_this_server_not_a_cdn(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_the_document_built_when_first_read_is_the_one_built_at_start(app, client,
                                                                       monkeypatch):
    """SiklusApi documents its blueprints when the document is first read; flask-smorest's
    own register_blueprint documents each as it is registered. Same document."""
    lazy = client.get("/api/v1/openapi.json").json
    monkeypatch.setattr(SiklusApi, "register_blueprint", Api.register_blueprint)
    eager = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"]})
    assert not eager.extensions["flask-smorest"]["apis"][""]["ext_obj"]._undocumented
    assert eager.test_client().get("/api/v1/openapi.json").json == lazy
    assert len(lazy["paths"]) > 30
    eager.extensions["siklus.engine"].dispose()

"""OpenAPI document and its docs UI, served from local assets only."""

from __future__ import annotations


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

"""A corpus of malformed requests replayed against every route of the app.

Routes come from the app's URL map, so an endpoint added later joins automatically. Every
request must answer 4xx (never 500) in its area's error shape — CouchDB `{"error","reason"}`
under /sync, RFC 7807 problem+json elsewhere under /api — and leave the store unchanged.
"""

from __future__ import annotations

import re

import pytest

from backend.db import read_transaction
from backend.sync import reads

HUGE = "123456789012345678901234567"
# Path values: huge integers, traversal, NUL, a lone surrogate (UTF-8 of U+D800), non-uuid ids.
PATH_VALUES = [HUGE, "person:a%2Fb", "person:%00abc", "%ED%A0%80", "person:1", "x" * 300]
# Query parameters any route might read, each with values that crashed somewhere once.
QUERY_VALUES = [HUGE, "-1", "9999-12-31", "[" * 300 + "]" * 300, "%00", "%ED%A0%80"]
# /sync reads CouchDB's parameters; /api routes read those their OpenAPI entry lists.
SYNC_QUERY = ["since", "limit", "heartbeat", "timeout", "feed", "style", "open_revs", "rev",
              "revs", "revs_limit", "latest", "doc_ids", "filter", "new_edits", "conflicts",
              "attachments", "include_docs", "descending"]
BODIES = [
    b"[" * 5000 + b"]" * 5000,                                       # deeper than any parser
    b'{"docs": [{"_id": "person:\\ud800", "name": "a\\ud800b"}], "name": "\\udfff",'
    b' "username": "\\ud800", "password": "\\ud800xxxxxxxxxxxx"}',   # lone surrogates
    b'{"docs": [' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"]}",    # deep inside a batch
    b'{"page": 123456789012345678901234567890, "docs": [{"_id": 1e400}]}',
    b'{"name": "x\\u0000", "docs": [{"_id": "person:\\u0000"}], "new_edits": "no"}',
    b'{"a": ', b"\xff\xfe\x00", b"null", b"[]", b'"text"',
]
SKIP = {"/api/v1/auth/logout"}  # would end the session the rest of the corpus runs in


def _urls(rule) -> list[str]:
    if not rule.arguments:
        return [rule.rule]
    urls = []
    for value in PATH_VALUES:
        url = rule.rule
        for name in rule.arguments:
            filler = "siklus" if name == "db" else ("1" if name == "version" else value)
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", filler, url)
        urls.append(url)
    return urls


def _routes(app) -> list[tuple[str, list[str], list[str]]]:
    """(method, urls, query parameter names) for every /api and /sync rule."""
    spec = app.test_client().get("/api/v1/openapi.json").json["paths"]
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/sync")) or rule.rule in SKIP:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            params = spec.get(path, {}).get(method.lower(), {}).get("parameters", [])
            names = SYNC_QUERY if path.startswith("/sync") else [
                p["name"] for p in params if p["in"] == "query"]
            routes.append((method, _urls(rule), names))
    return routes


def _state():
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


def _check_shape(response, url: str) -> None:
    assert response.status_code < 500, (url, response.status_code, response.data[:300])
    if response.status_code < 400 or response.headers.get("Content-Length") == "0":
        return
    if url.startswith("/sync"):
        assert {"error", "reason"} <= set(response.json), (url, response.data[:200])
    else:
        assert response.content_type == "application/problem+json", (url, response.data[:200])


def _requests(app, queries: bool):
    for method, urls, names in _routes(app):
        for url in urls:
            for body in BODIES if method in {"POST", "PUT", "PATCH", "DELETE"} else [None]:
                yield method, url, body
        if method == "GET" and queries:  # each parameter alone, on the rule's first url
            for name in names:
                for value in QUERY_VALUES:
                    yield method, f"{urls[0]}?{name}={value}", None


@pytest.mark.parametrize("username", ["admin", "pustu_a", None])
def test_malformed_requests_answer_4xx_and_change_nothing(app, world, username):
    from tests.conftest import Login  # noqa: PLC0415

    app.config["LONGPOLL_TIMEOUT_MS"] = 1  # a longpoll in the corpus returns at once
    session = Login(app, username) if username else None
    client = session.client if session else app.test_client()
    headers = session.headers if session else {}
    before, sent = _state(), 0
    for method, url, body in _requests(app, queries=username == "admin"):
        response = client.open(url, method=method, data=body, headers=headers,
                               content_type="application/json")
        _check_shape(response, url)
        sent += 1
    assert _state() == before
    assert sent > 1000

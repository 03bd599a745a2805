"""Generated scope test, /sync side: every route of `app.url_map` under /sync × every role ×
own and other desa. A route added without a line in SCOPE fails the first test."""

from __future__ import annotations

import uuid

import pytest

from backend.auth.roles import ROLES
from backend.db import read_transaction
from backend.sync import reads
from tests import factories as f
from tests.api.scope_world import ALL_DESA

DB = "/sync/siklus"
USERS = list(f.ROLE_USERS)
LOCAL = "/sync/<db>/_local/<path:local_id>"
DOC = "/sync/<db>/<doc_id>"
SCOPE: dict[tuple[str, str], str] = {
    ("GET", "/sync/"): "server_info",
    ("GET", "/sync/<db>"): "feed", ("GET", "/sync/<db>/"): "feed",
    ("PUT", "/sync/<db>"): "create_db", ("PUT", "/sync/<db>/"): "create_db",
    ("POST", "/sync/<db>"): "post_doc", ("POST", "/sync/<db>/"): "post_doc",
    ("GET", "/sync/<db>/_changes"): "feed", ("POST", "/sync/<db>/_changes"): "feed",
    ("GET", "/sync/<db>/_scope_exits"): "feed", ("GET", "/sync/<db>/_conflicts"): "conflicts",
    ("GET", LOCAL): "local", ("PUT", LOCAL): "local", ("DELETE", LOCAL): "local",
    ("POST", "/sync/<db>/_ensure_full_commit"): "records_role",
    ("POST", "/sync/<db>/_revs_diff"): "revs_diff",
    ("POST", "/sync/<db>/_bulk_docs"): "bulk_docs",
    ("POST", "/sync/<db>/_bulk_get"): "bulk_get",
    ("GET", DOC): "get_doc", ("PUT", DOC): "put_doc", ("DELETE", DOC): "delete_doc",
    ("GET", "/sync/<db>/<doc_id>/<path:name>"): "get_attachment",
}


def replicates(username: str) -> bool:
    return ROLES[f.ROLE_USERS[username][0]].reads_records


def test_every_sync_route_declares_its_scope(app):
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/sync")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - set(SCOPE) == set(), "declare these /sync routes in SCOPE"
    assert set(SCOPE) - routes == set(), "these declared routes no longer exist"


def call(session, method: str, url: str, **kw):
    return session.client.open(url, method=method, headers=session.headers, **kw)


def expect_refused_role(session, method, url, **kw):
    response = call(session, method, url, **kw)
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def check_server_info(sw, sessions, method, url):
    for username, session in sessions.items():
        response = call(session, method, url)
        assert response.status_code == 200 and sw.leaks(username, response.text) == []


def check_feed(sw, sessions, method, url):
    variants = [{"query_string": {"style": "all_docs", "include_docs": "true",
                                  "conflicts": "true"}}]
    if method == "POST":
        variants = [{**variants[0], "json": {}}]
    for username, session in sessions.items():
        for kw in variants:
            if not replicates(username):
                expect_refused_role(session, method, url, **kw)
                continue
            response = call(session, method, url, **kw)
            assert response.status_code == 200, (username, response.text)
            assert sw.leaks(username, response.text) == [], username


def check_conflicts(sw, sessions, method, url):
    """The conflict review is for the admin and the Kepala Puskesmas, within their area."""
    for username, session in sessions.items():
        response = call(session, method, url)
        if username not in ("admin", "kapus"):
            assert response.status_code == 403, username
            continue
        assert response.status_code == 200 and sw.leaks(username, response.text) == []


def check_create_db(sw, sessions, method, url):
    for username, session in sessions.items():
        response = call(session, method, url)
        assert response.status_code == (412 if replicates(username) else 403), username


def check_records_role(sw, sessions, method, url):
    for username, session in sessions.items():
        response = call(session, method, url, json={})
        assert response.status_code == (201 if replicates(username) else 403), username


def check_local(sw, sessions, method, url):
    """Checkpoints are namespaced per user: nobody reads or removes another's."""
    for username, session in sessions.items():
        mine = f"{DB}/_local/checkpoint-{username}"
        if not replicates(username):
            expect_refused_role(session, method, mine, json={"last_seq": 1})
            continue
        assert call(session, "PUT", mine, json={"last_seq": 1}).status_code == 201
    kader, pustu_b = sessions["kader_a"], sessions["pustu_b"]
    theirs = f"{DB}/_local/checkpoint-kader_a"
    assert call(pustu_b, "GET", theirs).status_code == 404
    assert call(pustu_b, "DELETE", theirs, query_string={"rev": "0-1"}).status_code == 404
    assert call(kader, "GET", theirs).json["last_seq"] == 1


def check_revs_diff(sw, sessions, method, url):
    """A foreign id is answered exactly as an id that does not exist."""
    for username, session in sessions.items():
        for desa in sw.others(username):
            foreign = sw.records[desa]["person"]["_id"]
            made_up = f"person:{uuid.uuid4()}"
            body = {foreign: ["1-" + "a" * 32], made_up: ["1-" + "a" * 32]}
            if not replicates(username):
                expect_refused_role(session, method, url, json=body)
                continue
            answer = call(session, method, url, json=body).json
            assert answer[foreign] == answer[made_up], (username, desa)


def check_bulk_get(sw, sessions, method, url):
    for username, session in sessions.items():
        for desa in sw.others(username):
            ids = [doc["_id"] for doc in sw.records[desa].values()]
            body = {"docs": [{"id": doc_id} for doc_id in ids]}
            if not replicates(username):
                expect_refused_role(session, method, url, json=body)
                continue
            response = call(session, method, url, json=body)
            assert response.status_code == 200
            leaks = set(sw.leaks(username, response.text)) - set(ids)  # ids are echoed
            assert leaks == set(), (username, desa)
            assert all("error" in doc for result in response.json["results"]
                       for doc in result["docs"]), (username, desa)


def new_doc(sw, kind: str, desa: str, **changes) -> dict:
    person = sw.records[desa]["person"]
    base = {"person": f.person(desa=desa), "household": f.household(desa=desa),
            "encounter": f.encounter(person), "task": f.task(person)}[kind]
    return {**base, **changes}


def writes_ok(username: str, kind: str) -> bool:
    return kind in ROLES[f.ROLE_USERS[username][0]].writes


def cases(sw, username: str) -> list[tuple[dict, bool]]:
    """(document, may it be written) for one user: own desa, other desa, and a document of
    one's own desa that references a record of another desa."""
    own, out = sw.own(username), []
    for kind in ("person", "encounter"):
        out.append((new_doc(sw, kind, own), writes_ok(username, kind)))
        for other in sw.others(username):
            out.append((new_doc(sw, kind, other), False))
    for other in sw.others(username):
        rec = sw.records[other]
        out.append((new_doc(sw, "encounter", own, person=rec["person"]["_id"]), False))
        out.append((new_doc(sw, "person", own, household=rec["household"]["_id"]), False))
        out.append((new_doc(sw, "task", own, person=rec["person"]["_id"]), False))
    return out


def check_bulk_docs(sw, sessions, method, url):
    for username, session in sessions.items():
        docs = cases(sw, username)
        if not replicates(username):
            expect_refused_role(session, method, url, json={"docs": [d for d, _ in docs]})
            continue
        results = call(session, method, url, json={"docs": [d for d, _ in docs]}).json
        for (doc, allowed), result in zip(docs, results, strict=True):
            assert ("ok" in result) == allowed, (username, doc, result)
            if not allowed:
                assert result["error"] == "forbidden", (username, doc, result)


def check_single_write(sw, sessions, method, url):
    for username, session in sessions.items():
        for doc, allowed in cases(sw, username):
            target = f"{DB}/{doc['_id']}" if method == "PUT" else url
            response = call(session, method, target, json=doc)
            expected = 201 if allowed and replicates(username) else 403
            assert response.status_code == expected, (username, doc, response.json)


check_put_doc = check_post_doc = check_single_write


def _foreign_ids(sw, username):
    return [doc["_id"] for desa in sw.others(username) for doc in sw.records[desa].values()]


def check_get_doc(sw, sessions, method, url):
    for username, session in sessions.items():
        for doc_id in _foreign_ids(sw, username):
            response = call(session, method, f"{DB}/{doc_id}")
            assert response.status_code == (404 if replicates(username) else 403)
        own = sw.records[sw.own(username)]["person"]["_id"]
        response = call(session, method, f"{DB}/{own}")
        assert response.status_code == (200 if replicates(username) else 403)


def check_get_attachment(sw, sessions, method, url):
    for username, session in sessions.items():
        for doc_id in _foreign_ids(sw, username):
            response = call(session, method, f"{DB}/{doc_id}/foto.jpg")
            assert response.status_code == (404 if replicates(username) else 403)


def check_delete_doc(sw, sessions, method, url):
    for username, session in sessions.items():
        for desa in sw.others(username):
            doc = sw.records[desa]["person"]
            response = call(session, method, f"{DB}/{doc['_id']}",
                            query_string={"rev": doc["_rev"]})
            assert response.status_code in (403, 404), username
    with read_transaction() as conn:  # every record is still there
        for desa in ALL_DESA:
            found = reads.get_doc(conn, sw.records[desa]["person"]["_id"], None,
                                  reads.ReadOptions())
            assert not found.get("_deleted")


CHECKS = {name.removeprefix("check_"): fn for name, fn in globals().items()
          if name.startswith("check_")}


@pytest.mark.parametrize(("method", "rule"), sorted(SCOPE), ids=lambda v: v)
def test_scope_holds_for_every_role(sw, sessions, method, rule):
    url = rule.replace("<db>", "siklus").replace("<doc_id>", "x").replace("<path:name>", "a")
    url = url.replace("<path:local_id>", "checkpoint")
    CHECKS[SCOPE[(method, rule)]](sw, sessions, method, url)

"""Generated scope test, /api side: every operation of the OpenAPI document × every role ×
own and other desa. An operation added without a line in SCOPE fails the first test, so a new
endpoint joins this test by declaring what it may show and to whom.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from backend.auth.roles import ROLES
from tests import factories as f
from tests.api import scope_world
from tests.api.scope_world import ALL_DESA, marker

USERS = list(f.ROLE_USERS)
DOC = "/api/v1/{kind}s/{{doc_id}}"
SCOPE: dict[tuple[str, str], tuple[str, str | None]] = {
    ("post", "/api/v1/auth/login"): ("login", None),
    ("post", "/api/v1/auth/logout"): ("logout", None),
    ("get", "/api/v1/auth/me"): ("me", None),
    ("get", "/api/v1/places"): ("everyone_reads", None),
    ("get", "/api/v1/places/{doc_id}"): ("everyone_reads", None),
    ("post", "/api/v1/places"): ("admin_writes", None),
    ("patch", "/api/v1/places/{doc_id}"): ("admin_writes", None),
    ("get", "/api/v1/users"): ("admin_only", None),
    ("post", "/api/v1/users"): ("admin_only", None),
    ("get", "/api/v1/users/{user_id}"): ("admin_only", None),
    ("patch", "/api/v1/users/{user_id}"): ("admin_only", None),
    ("get", "/api/v1/audit"): ("audit", None),
    ("get", "/api/v1/persons/{doc_id}/encounters"): ("person_view", None),
    ("get", "/api/v1/persons/{doc_id}/due"): ("person_view", None),
    ("get", "/api/v1/records/{doc_id}"): ("person_view", None),
    ("get", "/api/v1/pws/fktp/persons"): ("fktp_only", "find"),
    ("post", "/api/v1/pws/fktp/persons"): ("fktp_only", "register"),
    ("get", "/api/v1/pws/fktp/cases"): ("fktp_only", "cases"),
    ("post", "/api/v1/pws/fktp/cases"): ("fktp_only", "report"),
}
for _kind in scope_world.KINDS:
    SCOPE[("get", f"/api/v1/{_kind}s")] = ("list", _kind)
    SCOPE[("post", f"/api/v1/{_kind}s")] = ("create", _kind)
    SCOPE[("get", DOC.format(kind=_kind))] = ("item", _kind)
    if _kind != "encounter":  # written once
        SCOPE[("patch", DOC.format(kind=_kind))] = ("edit", _kind)


# PWS drill-down and follow-up (in depth: tests/pws/test_gaps.py, test_pws_followup.py).
SCOPE.update({
    ("get", "/api/v1/pws/gaps"): ("pws_names", "gaps"),
    ("post", "/api/v1/pws/followup"): ("pws_names", "followup"),
    ("get", "/api/v1/pws/followup"): ("pws_names", "progress"),
})


def check_pws_names(sw, sessions, path, kind):
    """Names behind a gap: kapus, klaster, admin and pustu in their desa (another desa 404),
    dinkes, fktp and kader 403; progress (counts) for every dashboard role. No answer carries
    a record of a desa outside the caller's area (everyone in the world is usia produktif)."""
    from backend.pws.months import current_month  # noqa: PLC0415

    month = str(current_month())
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA:
            query = {"indicator": "usia_produktif", "desa": desa, "month": month}
            response = (session.get(path, query_string={"month": month}) if kind == "progress"
                        else session.get(path, query_string=query) if kind == "gaps"
                        else session.post(path, json=query))
            if role in ("fktp", "kader") or (role == "dinkes" and kind != "progress"):
                assert response.status_code == 403, (username, desa)
                continue
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            if kind == "progress" or desa in scopes:
                assert response.status_code < 300, (username, desa, response.json)
                if kind == "gaps":  # the desa's own person is named
                    assert marker(desa) in response.get_data(as_text=True), (username, desa)
            else:
                assert response.status_code == 404, (username, desa)


# PWS sasaran (in depth: tests/pws/test_sasaran_api.py).
SCOPE.update({
    ("get", "/api/v1/pws/sasaran"): ("pws_sasaran", "list"),
    ("get", "/api/v1/pws/sasaran/template"): ("pws_sasaran", "template"),
    ("post", "/api/v1/pws/sasaran"): ("pws_sasaran", "import"),
})


def check_pws_sasaran(sw, sessions, path, kind):
    """Targets are aggregates: every dashboard role reads those of its own desa only (the list
    and the template name no other desa), fktp and kader 403; only kapus and admin import (an
    empty file is refused with 422, nobody else gets that far)."""
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        if kind == "import":
            response = session.post(path, data={"file": (io.BytesIO(b""), "kosong.csv")},
                                    content_type="multipart/form-data")
            expected = 422 if role in ("kapus", "admin") else 403
            assert response.status_code == expected, (username, response.json)
            continue
        response = session.get(path)
        if role in ("fktp", "kader"):
            assert response.status_code == 403, username
            continue
        assert response.status_code == 200, (username, response.json)
        text = response.get_data(as_text=True)
        assert [d for d in ALL_DESA if d not in scopes and d in text] == [], username
        assert [d for d in scopes if d not in text] == [], username


def reads_records(username: str) -> bool:
    return ROLES[f.ROLE_USERS[username][0]].reads_records


def writes(username: str, kind: str) -> bool:
    return kind in ROLES[f.ROLE_USERS[username][0]].writes


def test_every_operation_declares_its_scope(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = {(method, path) for path, item in spec["paths"].items()
                  for method in item if method in {"get", "post", "put", "patch", "delete"}}
    assert operations - set(SCOPE) == set(), "declare these operations in SCOPE"
    assert set(SCOPE) - operations == set(), "these declared operations no longer exist"


def assert_shows_nothing_hidden(sw, username, response):
    assert response.status_code == 200, (username, response.json)
    assert sw.leaks(username, response.get_data(as_text=True)) == [], username
    body = response.json
    items = body.get("items", []) if isinstance(body, dict) else body
    scopes = f.ROLE_USERS[username][2]  # audit rows of no desa (accounts, logins) are shown
    assert all(item["desa"] in scopes for item in items if item.get("desa")), username


def param_values(sw, desa: str) -> dict[str, str]:
    """Query values that name a record of `desa`, by parameter name."""
    rec = sw.records[desa]
    return {"person": rec["person"]["_id"], "household": rec["household"]["_id"],
            "desa": desa, "nik": rec["person"]["nik"], "no_kk": rec["household"]["no_kk"],
            "q": marker(desa), "target_id": rec["person"]["_id"]}


def query_params(client, method: str, path: str) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json
    return [p["name"] for p in spec["paths"][path][method].get("parameters", [])
            if p["in"] == "query"]


def check_list(sw, sessions, path, kind):
    params = query_params(sessions["admin"].client, "get", path)
    for username, session in sessions.items():
        if not reads_records(username):
            assert session.get(path).status_code == 403
            continue
        assert_shows_nothing_hidden(sw, username, session.get(path))
        for desa in ALL_DESA:
            for name, value in param_values(sw, desa).items():
                if name in params:
                    response = session.get(path, query_string={name: value})
                    assert_shows_nothing_hidden(sw, username, response)
        if "person" in params:  # the baby who moved from C into A: C's visits stay hidden
            response = session.get(path, query_string={"person": sw.moved["person"]["_id"]})
            assert_shows_nothing_hidden(sw, username, response)


def check_item(sw, sessions, path, kind):
    for username, session in sessions.items():
        for desa in ALL_DESA:
            response = session.get(path.format(doc_id=sw.records[desa][kind]["_id"]))
            visible = reads_records(username) and desa in f.ROLE_USERS[username][2]
            expected = 200 if visible else 403 if not reads_records(username) else 404
            assert response.status_code == expected, (username, desa)
            if visible:
                assert_shows_nothing_hidden(sw, username, response)


def check_person_view(sw, sessions, path, kind):
    for username, session in sessions.items():
        scopes = f.ROLE_USERS[username][2]
        for desa in ALL_DESA:
            response = session.get(path.format(doc_id=sw.records[desa]["person"]["_id"]))
            if not reads_records(username):
                assert response.status_code == 403
            elif desa in scopes:
                assert_shows_nothing_hidden(sw, username, response)
            else:
                assert response.status_code == 404, (username, desa)
        moved = session.get(path.format(doc_id=sw.moved["person"]["_id"]))
        if reads_records(username) and f.DESA_A in scopes:
            assert_shows_nothing_hidden(sw, username, moved)
        else:
            assert moved.status_code in (403, 404)


def new_body(sw, kind: str, desa: str) -> dict:
    today = dt.date.today().isoformat()
    person = sw.records[desa]["person"]["_id"]
    return {"household": {"desa": desa, "head_name": "Keluarga Baru"},
            "person": {"desa": desa, "name": "Warga Baru", "sex": "L",
                       "birth_date": "1990-01-01"},
            "encounter": {"desa": desa, "person": person, "date": today,
                          "setting": "posyandu"},
            "task": {"desa": desa, "person": person, "reason": "Kunjungan rumah",
                     "due_date": today, "status": "open"}}[kind]


def foreign_reference(sw, kind: str, desa: str) -> dict | None:
    """A change that makes a document of `kind` point at a record of another `desa`."""
    rec = sw.records[desa]
    return {"person": {"household": rec["household"]["_id"]},
            "encounter": {"person": rec["person"]["_id"]},
            "task": {"person": rec["person"]["_id"]}}.get(kind)


def check_create(sw, sessions, path, kind):
    for username, session in sessions.items():
        own = sw.own(username)
        response = session.post(path, json=new_body(sw, kind, own))
        ok = reads_records(username) and writes(username, kind)
        assert response.status_code == (201 if ok else 403), (username, response.json)
        for other in sw.others(username):
            response = session.post(path, json=new_body(sw, kind, other))
            assert response.status_code == 403, (username, other)
            reference = foreign_reference(sw, kind, other)
            if reference:  # a document of one's own desa that points into another
                response = session.post(path, json={**new_body(sw, kind, own), **reference})
                assert response.status_code == 403, (username, other, reference)


def check_edit(sw, sessions, path, kind):
    for username, session in sessions.items():
        own = sw.records[sw.own(username)][kind]
        for other in sw.others(username):
            foreign = sw.records[other][kind]
            response = session.patch(path.format(doc_id=foreign["_id"]),
                                     json={"_rev": foreign["_rev"], "desa": sw.own(username)})
            # A role that may not write the type at all is refused before any lookup (403,
            # whatever the id); a writer learns nothing of a foreign record (404).
            expected = 404 if reads_records(username) and writes(username, kind) else 403
            assert response.status_code == expected, (username, other)
            moved = session.patch(path.format(doc_id=own["_id"]),
                                  json={"_rev": own["_rev"], "desa": other})
            assert moved.status_code == 403, (username, other)
            reference = foreign_reference(sw, kind, other)
            if reference:
                response = session.patch(path.format(doc_id=own["_id"]),
                                         json={"_rev": own["_rev"], **reference})
                assert response.status_code == 403, (username, other, reference)


def check_everyone_reads(sw, sessions, path, kind):
    """Places are reference data: every role reads every one, desa C's too."""
    for username, session in sessions.items():
        response = session.get(path.format(doc_id=sw.place_c["_id"]))
        assert response.status_code == 200, username
        assert scope_world.DESA_C in response.get_data(as_text=True)


def check_admin_writes(sw, sessions, path, kind):
    place_id = sw.place_c["_id"]
    for username, session in sessions.items():
        if "{doc_id}" in path:
            current = session.get(path.format(doc_id=place_id)).json
            response = session.patch(path.format(doc_id=place_id),
                                     json={"_rev": current["_rev"], "name": "Sukalaksana"})
            assert response.status_code == (200 if username == "admin" else 403), username
        else:
            response = session.post(path, json={"kind": "posyandu", "name": "Posyandu Baru",
                                                "desa": f.DESA_A, "schedule_day": 9})
            assert response.status_code == (201 if username == "admin" else 403), username


def check_admin_only(sw, sessions, path, kind):
    target = sessions["kader_a"].me["id"]
    for username, session in sessions.items():
        if path.endswith("{user_id}"):
            url = path.format(user_id=target)
            response = session.get(url) if kind == "get" else session.patch(
                url, json={"display_name": "Kader A"})
        elif kind == "get":
            response = session.get(path)
        else:
            response = session.post(path, json={
                "username": f"baru.{username}", "display_name": "Baru", "role": "kader",
                "scopes": [f.DESA_A], "password": "kata-sandi-baru"})
        allowed = username == "admin"
        assert (response.status_code < 300) == allowed, (username, response.json)
        if not allowed:
            assert response.status_code == 403


def check_audit(sw, sessions, path, kind):
    for username, session in sessions.items():
        if username not in ("admin", "kapus"):
            assert session.get(path).status_code == 403
            continue
        assert_shows_nothing_hidden(sw, username, session.get(path))
        for desa in ALL_DESA:
            values = param_values(sw, desa)
            for name in ("desa", "target_id"):
                response = session.get(path, query_string={name: values[name]})
                assert_shows_nothing_hidden(sw, username, response)


# PWS board, trend, indicators, morbidity (in depth: tests/api/test_pws_board.py).
SCOPE.update({
    ("get", "/api/v1/pws/indicators"): ("pws_board", "indicators"),
    ("get", "/api/v1/pws/board"): ("pws_board", "board"),
    ("get", "/api/v1/pws/trend"): ("pws_board", "trend"),
    ("get", "/api/v1/pws/morbidity"): ("pws_board", "morbidity"),
})


def check_pws_board(sw, sessions, path, kind):
    """Aggregates: every dashboard role (dinkes too), fktp and kader 403. The board and
    morbidity cover the caller's desa only; a trend of a desa outside the area is a 404. No
    answer carries a record of another desa."""
    from backend.pws.months import current_month  # noqa: PLC0415

    month = str(current_month())
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA if kind == "trend" else (None,):
            query = {"month": month} if kind != "indicators" else {}
            if kind == "trend":
                query |= {"desa": desa, "indicator": "usia_produktif"}
            response = session.get(path, query_string=query)
            if role in ("fktp", "kader"):
                assert response.status_code == 403, (username, desa)
                continue
            if kind == "trend" and desa not in scopes:
                assert response.status_code == 404, (username, desa)
                continue
            assert response.status_code == 200, (username, desa, response.json)
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            if kind in ("board", "morbidity"):
                assert {d["code"] for d in response.json["desa"]} == set(scopes), username


def check_me(sw, sessions, path, kind):
    for username, session in sessions.items():
        me = session.get(path).json
        assert me["username"] == username
        assert set(me["scopes"]) == set(f.ROLE_USERS[username][2])


def check_login(sw, sessions, path, kind):
    check_me(sw, sessions, "/api/v1/auth/me", kind)


def check_logout(sw, sessions, path, kind):
    for username, session in sessions.items():
        assert session.post(path).status_code == 204
        assert session.get("/api/v1/persons").status_code == 401, username


def fktp_call(session, path: str, kind: str, desa: str, rec: dict):
    """One call of a /pws/fktp operation aimed at `desa` (its records, or a new person)."""
    if kind == "find":
        return session.get(path, query_string={"q": marker(desa)})
    if kind == "register":
        return session.post(path, json={"name": "Warga Baru", "sex": "P",
                                        "birth_date": "1990-01-01", "desa": desa})
    if kind == "report":
        return session.post(path, json={"person": rec["person"]["_id"],
                                        "date": dt.date.today().isoformat(),
                                        "diagnoses": [{"icd10": "A09"}]})
    return session.get(path)


def check_fktp_only(sw, sessions, path, kind):
    """The jejaring FKTP's own endpoints (in depth: tests/pws/test_fktp.py): every other role
    is refused before anything; the FKTP finds, registers and reports in its own desa only,
    and its answers never carry a record of another desa."""
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        foreign = set().union(*(sw.secrets[d] for d in ALL_DESA if d not in scopes))
        for desa in ALL_DESA:
            response = fktp_call(session, path, kind, desa, sw.records[desa])
            if role != "fktp":
                assert response.status_code == 403, (username, desa)
                continue
            text = response.get_data(as_text=True)
            assert [s for s in foreign if s in text] == [], (username, desa)
            if desa in scopes:
                assert response.status_code < 300, (username, desa, response.json)
            elif kind == "find":
                assert response.json["items"] == [], (username, desa)
            elif kind != "cases":
                assert response.status_code in (404, 422), (username, desa)

# PWS monthly evaluation and kohort (in depth: tests/pws/test_export_evaluation.py,
# tests/pws/test_kohort_api.py).
SCOPE.update({
    ("get", "/api/v1/pws/evaluation"): ("pws_export", "evaluation"),
    ("get", "/api/v1/pws/evaluation.xlsx"): ("pws_export", "evaluation"),
    ("get", "/api/v1/pws/kohort/{kind}"): ("pws_export", "kohort"),
    ("get", "/api/v1/pws/kohort/{kind}.xlsx"): ("pws_export", "kohort"),
})


def _answer_text(response) -> str:
    """The body as text; a workbook as the text of all its cells."""
    if not response.mimetype.endswith("spreadsheetml.sheet"):
        return response.get_data(as_text=True)
    import io  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415

    book = load_workbook(io.BytesIO(response.data))
    return " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row
                    if c.value is not None)


def check_pws_export(sw, sessions, path, kind):
    """The evaluation (aggregates): every dashboard role, fktp and kader 403. A kohort names
    people: kapus, klaster, admin and pustu for a desa of theirs (another 404), dinkes, fktp
    and kader 403. No answer carries a record of a desa outside the caller's area."""
    from backend.pws.months import current_month  # noqa: PLC0415

    month = current_month()
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA if kind == "kohort" else (None,):
            for variant in ("ibu", "balita") if kind == "kohort" else (None,):
                url = (path.replace("{kind}", variant) + f"?desa={desa}&year={month.year}"
                       if kind == "kohort" else f"{path}?month={month}")
                response = session.get(url)
                if role in ("fktp", "kader") or (role == "dinkes" and kind == "kohort"):
                    assert response.status_code == 403, (username, url)
                    continue
                if kind == "kohort" and desa not in scopes:
                    assert response.status_code == 404, (username, url)
                    continue
                assert response.status_code == 200, (username, url, response.status_code)
                assert sw.leaks(username, _answer_text(response)) == [], (username, url)

# Review queue, verdicts and progress (in depth: tests/review/test_queue.py,
# test_decisions.py, test_progress.py).
SCOPE.update({
    ("get", "/api/v1/review/queue"): ("review_queue", "queue"),
    ("post", "/api/v1/review/decisions"): ("review_queue", "decisions"),
    ("get", "/api/v1/review/progress"): ("review_queue", "progress"),
})


def check_review_queue(sw, sessions, path, kind):
    """Reviewers only (klaster, kapus, admin): pustu, kader, dinkes and fktp 403. The queue
    and a verdict reach a desa of the reviewer's area (another 404, as if unknown, and nothing
    decided); progress covers exactly the reviewer's desa. No answer carries a record of a
    desa outside the caller's area."""
    from backend.pws.months import current_month  # noqa: PLC0415

    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA if kind != "progress" else (None,):
            if kind == "queue":
                response = session.get(path, query_string={"desa": desa, "show": "all"})
            elif kind == "decisions":
                response = session.post(path, json={
                    "decision": "tidak_relevan", "records": [sw.records[desa]["person"]["_id"]]})
            else:
                response = session.get(path, query_string={"month": str(current_month())})
            if role not in ("klaster", "kapus", "admin"):
                assert response.status_code == 403, (username, desa)
                continue
            if desa is not None and desa not in scopes:
                assert response.status_code == 404, (username, desa)
                continue
            assert response.status_code == 200, (username, desa, response.json)
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            if kind == "queue":
                assert marker(desa) in response.get_data(as_text=True), (username, desa)
            if kind == "progress":
                assert {d["desa"] for d in response.json["desa"]} == set(scopes), username

# Review: merging duplicate persons (in depth: tests/review/test_merge.py).
SCOPE.update({
    ("post", "/api/v1/review/merges"): ("review_merges", "merge"),
    ("get", "/api/v1/review/merges"): ("review_merges", "list"),
    ("post", "/api/v1/review/merges/{merge_id}/undo"): ("review_merges", "undo"),
})


def check_review_merges(sw, sessions, path, kind):
    """Reviewers only (klaster, kapus, admin; everyone else 403). A person or a merge of a
    desa outside the caller's area is a 404 like an unknown one, and nothing is merged; the
    list of another desa is a 404, of one's own names nothing of another desa."""
    import sqlalchemy as sa  # noqa: PLC0415

    from backend.db import read_transaction, write_transaction  # noqa: PLC0415
    from backend.review.tables import merges  # noqa: PLC0415
    from tests.api.scope_world import DESA_C  # noqa: PLC0415

    with write_transaction() as conn:   # a merge in desa C, which is in nobody's area
        conn.execute(merges.insert().values(
            id="merge-c", survivor=sw.records[DESA_C]["person"]["_id"],
            merged=sw.moved["person"]["_id"], desa=DESA_C, merged_by="admin",
            merged_at="2026-01-05T01:00:00Z", undo_until="2999-01-01T00:00:00Z", changes="[]"))
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA:
            if kind == "list":
                response = session.get(path, query_string={"desa": desa})
            elif kind == "undo":
                response = session.post(path.format(merge_id="merge-c"))
            else:   # one's own person and one of `desa`: a merge across desa or area
                response = session.post(path, json={
                    "survivor": sw.records[sw.own(username)]["person"]["_id"],
                    "merged": sw.records[desa]["person"]["_id"]})
            if role not in ("klaster", "kapus", "admin"):
                assert response.status_code == 403, (username, desa)
                continue
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            visible = desa in scopes and kind != "undo"
            if kind == "merge":   # own desa: itself (422); a seen desa: 409; unseen: 404
                expected = (422 if desa == sw.own(username) else 409) if visible else 404
            else:
                expected = 200 if visible else 404
            assert response.status_code == expected, (username, desa, response.json)
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(merges)).scalar_one() == 1


# Possible duplicates (in depth: tests/review/test_duplicates_api.py).
SCOPE.update({
    ("get", "/api/v1/review/duplicates"): ("review_duplicates", "list"),
    ("get", "/api/v1/review/duplicates/compare"): ("review_duplicates", "compare"),
    ("post", "/api/v1/review/duplicates/dismiss"): ("review_duplicates", "dismiss"),
})


def check_review_duplicates(sw, sessions, path, kind):
    """Reviewers (klaster, kapus, admin) only, others 403. A list of a desa outside the area,
    and two persons one of whom is outside it (the baby moved into A, compared with each desa's
    person), are 404; no answer carries a record of another desa. Dismissing twice is 409."""
    baby = sw.moved["person"]["_id"]
    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA:
            person = sw.records[desa]["person"]["_id"]
            pair = {"a": person, "b": baby}
            response = (session.get(path, query_string={"desa": desa}) if kind == "list"
                        else session.get(path, query_string=pair) if kind == "compare"
                        else session.post(path, json=pair))
            if role not in ("klaster", "kapus", "admin"):
                assert response.status_code == 403, (username, desa)
                continue
            visible = desa in scopes and (kind == "list" or f.DESA_A in scopes)
            if not visible:
                assert response.status_code == 404, (username, desa, kind)
                continue
            assert response.status_code in ((200, 409) if kind == "dismiss" else (200,)), (
                username, desa, response.json)
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)

# Web push (in depth: tests/staffpush/).
SCOPE.update({
    ("get", "/api/v1/push/vapid-key"): ("push_public", None),
    ("get", "/api/v1/push/devices"): ("push_own", "devices"),
    ("post", "/api/v1/push/subscriptions"): ("push_own", "subscribe"),
    ("delete", "/api/v1/push/subscriptions"): ("push_own", "unsubscribe"),
    ("post", "/api/v1/push/test"): ("push_own", "test"),
    ("get", "/api/v1/push/outbox"): ("audit", None),
})


def check_push_public(sw, sessions, path, kind):
    """The VAPID public key: the same for everyone, logged in or not, and nothing else."""
    for username, session in sessions.items():
        response = session.get(path)
        assert response.status_code == 200, username
        assert set(response.json) == {"public_key"}, username


def check_push_own(sw, sessions, path, kind):
    """A device is its user's own: every role lists only its own (none here), reaches the
    subscription check (an http endpoint: 400), cannot remove a device it does not have (404)
    and has nothing to test (422). Records never appear."""
    for username, session in sessions.items():
        if kind == "devices":
            response = session.get(path)
            assert response.status_code == 200 and response.json == {"items": []}, username
        elif kind == "subscribe":
            response = session.post(path, json={"endpoint": "http://push.example/1",
                                                "keys": {}})
            assert response.status_code == 400, (username, response.json)
        elif kind == "unsubscribe":
            response = session.client.delete(path, json={"endpoint": "https://push.example/1"},
                                              headers=session.headers)
            assert response.status_code == 404, username
        else:
            response = session.post(path)
            assert response.status_code == 422, username
        assert sw.leaks(username, response.get_data(as_text=True)) == [], username


# A family's reminders: no login, the QR token or the family key is the scope (in depth:
# tests/family/, a key reads only its own household).
SCOPE.update({
    ("post", "/api/v1/family/invite"): ("family", "invite"),
    ("post", "/api/v1/family/subscribe"): ("family", "subscribe"),
    ("get", "/api/v1/family/reminders"): ("family", "reminders"),
    ("post", "/api/v1/family/stop"): ("family", "stop"),
})


def check_family(sw, sessions, path, kind):
    """A staff session opens nothing here: an unknown token is 404 and a missing family key
    401 for every role alike, and no answer carries a record."""
    token = "A" * 43
    for username, session in sessions.items():
        if kind == "invite":
            response = session.post(path, json={"token": token})
        elif kind == "subscribe":
            response = session.post(path, json={
                "token": token, "given_by": "Ibu Siti", "consent": True,
                "subscription": {"endpoint": "https://push.example/1",
                                 "keys": {"p256dh": "x", "auth": "y"}}})
        else:
            response = session.get(path) if kind == "reminders" else session.post(path)
        expected = 404 if kind in ("invite", "subscribe") else 401
        assert response.status_code == expected, (username, response.json)
        assert sw.leaks(username, response.get_data(as_text=True)) == [], username


# The Puskesmas flow's cluster desk, lab and pharmacy (in depth: tests/flow/test_desk_encounter.py,
# test_lab.py, test_pharmacy.py).
SCOPE.update({
    ("post", "/api/v1/flow/entries/{entry_id}/encounter"): ("flow_desk", "encounter"),
    ("post", "/api/v1/flow/entries/{entry_id}/lab-orders"): ("flow_desk", "order"),
    ("get", "/api/v1/flow/lab-orders"): ("flow_desk", "orders"),
    ("post", "/api/v1/flow/lab-orders/{order_id}/results"): ("flow_desk", "results"),
    ("get", "/api/v1/flow/arrivals/{arrival_id}/prescriptions"): ("flow_desk", "prescriptions"),
    ("post", "/api/v1/flow/entries/{entry_id}/dispense"): ("flow_desk", "dispense"),
})


def check_flow_desk(sw, sessions, path, kind):
    """Klaster staff, kapus and admin only (everyone else 403); a person outside the caller's
    area 404 (before the point is looked at); klaster 2 acts at its own room, not at the lab or
    the pharmacy (403). No answer carries a record of a desa outside the caller's area."""
    from tests.flow import rows  # noqa: PLC0415

    arrivals, visits, desks = rows.flow_scope_world(sw.records, marker)

    def call(session, desa):
        """One request about the person of `desa`, on a queue entry or order of its own."""
        entry = (rows.entry(arrivals[desa], "farmasi" if kind == "dispense" else "k2",
                            ticket="X-001") if kind in ("encounter", "order", "dispense")
                 else None)
        if kind == "encounter":
            response = session.post(path.format(entry_id=entry), json={"notes": "x"})
        elif kind == "order":
            response = session.post(path.format(entry_id=entry), json={"tests": [rows.HB]})
        elif kind == "orders":
            response = session.get(path, query_string={"open": "false"})
        elif kind == "results":
            order = rows.lab_order(arrivals[desa], desks[desa])
            response = session.post(path.format(order_id=order),
                                    json={"results": [{"test": rows.HB, "value": 12}]})
        elif kind == "prescriptions":
            response = session.get(path.format(arrival_id=arrivals[desa]))
        else:
            response = session.post(path.format(entry_id=entry), json={
                "encounter": visits[desa], "items": [{"index": 0, "quantity": 1}]})
        if entry:
            rows.end(entry)
        return response

    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA:
            response = call(session, desa)
            if role not in ("klaster", "kapus", "admin"):
                assert response.status_code == 403, (username, desa)
                continue
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            if kind != "orders" and desa not in scopes:
                assert response.status_code == 404, (username, desa, response.json)
            elif role == "klaster" and kind not in ("encounter", "order"):
                assert response.status_code == 403, (username, desa, response.json)
            else:
                assert response.status_code < 300, (username, desa, response.json)


# The Puskesmas flow's waiting-room screens and day report (in depth: tests/flow/
# test_display.py, test_report.py): kapus and admin manage screens, the feed opens with a
# screen's token only, the report is Klaster 1's, kapus's and admin's; counts, never records.
SCOPE.update({
    ("get", "/api/v1/flow/displays"): ("flow_display", "list"),
    ("post", "/api/v1/flow/displays"): ("flow_display", "create"),
    ("get", "/api/v1/flow/displays/points"): ("flow_display", "points"),
    ("delete", "/api/v1/flow/displays/{display_id}"): ("flow_display", "revoke"),
    ("get", "/api/v1/flow/displays/feed"): ("flow_display", "feed"),
    ("get", "/api/v1/flow/report"): ("flow_display", "report"),
})


def check_flow_display(sw, sessions, path, kind):
    for username, session in sessions.items():
        manager = f.ROLE_USERS[username][0] in ("kapus", "admin")
        if kind == "create":
            response = session.post(path, json={"label": "TV", "service_points": ["k3"]})
            expected = 404 if manager else 403        # no such point in this world
        elif kind == "revoke":
            response = session.client.delete(path.replace("{display_id}", "x"),
                                             headers=session.headers)
            expected = 404 if manager else 403
        elif kind == "feed":
            response, expected = session.get(path), 404   # a session is no screen token
        else:
            response = session.get(path)
            expected = 200 if manager else 403
        assert response.status_code == expected, (username, kind, response.json)
        assert sw.leaks(username, response.get_data(as_text=True)) == [], username


# The Puskesmas flow's registration and queues (in depth: tests/flow/test_flow_access.py,
# test_queue.py, test_arrivals.py).
SCOPE.update({
    ("get", "/api/v1/flow/points"): ("flow_queue", "points"),
    ("post", "/api/v1/flow/arrivals"): ("flow_queue", "register"),
    ("get", "/api/v1/flow/arrivals"): ("flow_queue", "arrivals"),
    ("get", "/api/v1/flow/queues/{point_id}"): ("flow_queue", "queue"),
    ("post", "/api/v1/flow/queues/{point_id}/call-next"): ("flow_queue", "call-next"),
    **{("post", f"/api/v1/flow/entries/{{entry_id}}/{step}"): ("flow_queue", step)
       for step in ("recall", "start", "skip", "done", "cancel", "transfer")},
    ("get", "/api/v1/flow/entries/{entry_id}"): ("flow_queue", "entry"),
})


def check_flow_queue(sw, sessions, path, kind):
    """Klaster staff, kapus and admin only (everyone else 403). Each desa's person waits in
    Klaster 2's room; klaster 2 acts there, kapus and admin everywhere, and only kapus and
    admin at the loket. A person outside the caller's area is 404 (register, an entry) and
    nameless in a queue; no answer carries a record of a desa outside the caller's area."""
    import uuid  # noqa: PLC0415

    import sqlalchemy as sa  # noqa: PLC0415

    from backend import clock  # noqa: PLC0415
    from backend.db import write_transaction  # noqa: PLC0415
    from backend.flow import queue  # noqa: PLC0415
    from backend.flow.tables import flow_arrivals, flow_queue_entries  # noqa: PLC0415
    from tests.flow import world as flow_world  # noqa: PLC0415

    with write_transaction() as conn:
        flow_world.add_points(conn)

    def entry(desa: str, status: str | None) -> int | None:
        """Every earlier entry ended, and the person of `desa` in K2's queue in `status`."""
        person, arrival = sw.records[desa]["person"], str(uuid.uuid4())
        with write_transaction() as conn:
            conn.execute(sa.update(flow_queue_entries).values(status="cancelled"))
            if status is None:
                return None
            conn.execute(sa.insert(flow_arrivals).values(
                id=arrival, day=queue.today(), person_id=person["_id"], desa=desa,
                payer="jkn", new_patient=False, emergency=False, disability=False,
                symptoms="[]", priority="normal", priority_groups="[]", proposed_cluster="2",
                cluster="2", created_at=clock.utc_stamp(), created_by="admin"))
            return conn.execute(sa.insert(flow_queue_entries).values(
                arrival_id=arrival, person_id=person["_id"], service_point_id="k2",
                day=queue.today(), ticket="B-001", priority_rank=2, queued_at=clock.utc_stamp(),
                status=status, created_at=clock.utc_stamp(), created_by="admin",
                call_count=0)).inserted_primary_key[0]

    def call(session, desa: str):
        person = sw.records[desa]["person"]["_id"]
        status = {"done": "in_service", "recall": "called", "start": "called",
                  "skip": "called", "register": None}.get(kind, "waiting")
        entry_id = entry(desa, status)
        target = path.format(entry_id=entry_id, point_id="k2")
        if kind == "register":
            return session.post(path, json={"person": person, "payer": "jkn",
                                            "new_patient": False})
        if kind == "transfer":
            return session.post(target, json={"to": "lab"})
        if path.endswith("}") or kind in ("points", "arrivals"):
            return session.get(target)
        return session.post(target, json={})

    for username, session in sessions.items():
        role, _, scopes = f.ROLE_USERS[username]
        for desa in ALL_DESA:
            response = call(session, desa)
            if role not in ("klaster", "kapus", "admin"):
                assert response.status_code == 403, (username, desa, kind)
                continue
            assert sw.leaks(username, response.get_data(as_text=True)) == [], (username, desa)
            if role == "klaster" and kind in ("register", "arrivals"):   # not the loket
                expected = 403
            elif desa not in scopes and kind not in ("points", "arrivals", "queue"):
                expected = 409 if kind == "call-next" else 404    # never called: empty
            else:
                expected = 201 if kind == "register" else 200
            assert response.status_code == expected, (username, desa, kind, response.json)


# Issue 15: the Puskesmas's organisation and duty (in depth: tests/flow/test_organisation.py,
# tests/flow/test_duty.py). No person's record in any answer.
SCOPE.update({
    ("get", "/api/v1/flow/organisation"): ("flow_organisation", "read"),
    ("get", "/api/v1/flow/duty"): ("flow_organisation", "read"),
    ("put", "/api/v1/flow/staff/{username}"): ("flow_organisation", "assign"),
    ("delete", "/api/v1/flow/staff/{username}"): ("flow_organisation", "unassign"),
    ("post", "/api/v1/flow/service-points"): ("flow_organisation", "point_new"),
    ("patch", "/api/v1/flow/service-points/{point_id}"): ("flow_organisation", "point_edit"),
    ("put", "/api/v1/flow/duty/{day}/{point_id}"): ("flow_organisation", "duty"),
})


def check_flow_organisation(sw, sessions, path, kind):
    """Klaster, kapus and admin read; kapus and admin change the organisation (here refused
    for what the world lacks: 404 or 422, never 403); a klaster account that is no PJ may not
    set duty; pustu, kader, dinkes and fktp 403 everywhere."""
    today = dt.date.today().isoformat()
    for username, session in sessions.items():
        role = f.ROLE_USERS[username][0]
        if kind == "read":
            response = session.get(path)
        elif kind == "assign":
            response = session.put(path.format(username="nobody"),
                                   json={"cluster": "2", "position": "anggota"})
        elif kind == "unassign":
            response = session.client.delete(path.format(username="nobody"),
                                              headers=session.headers)
        elif kind == "point_new":
            response = session.post(path, json={"id": "k2", "label": "Ruang", "kind": "lab",
                                                "clusters": ["2"], "ticket_prefix": "B"})
        elif kind == "point_edit":
            response = session.patch(path.format(point_id="nowhere"), json={"label": "X"})
        else:
            response = session.put(path.format(day=today, point_id="nowhere"),
                                   json={"usernames": []})
        if role not in ("klaster", "kapus", "admin"):
            assert response.status_code == 403, (username, kind)
        elif kind == "read":
            assert response.status_code == 200, (username, response.json)
        elif role == "klaster" and kind != "duty":
            assert response.status_code == 403, (username, kind)
        else:  # allowed this far: refused for the missing staff or point, or the bad body
            assert response.status_code in (404, 422), (username, kind, response.json)
        assert sw.leaks(username, response.get_data(as_text=True)) == [], username


CHECKS = {name.removeprefix("check_"): fn for name, fn in globals().items()
          if name.startswith("check_")}


@pytest.mark.parametrize(("method", "path"), sorted(SCOPE), ids=lambda v: v)
def test_scope_holds_for_every_role(sw, sessions, method, path):
    rule, kind = SCOPE[(method, path)]
    CHECKS[rule](sw, sessions, path, kind if rule != "admin_only" else method)


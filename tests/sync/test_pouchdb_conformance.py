"""Real PouchDB 9 (Node, memory adapter) replicating with a live Siklus server.

Each test is a field story run by tests/node/scenario.mjs: tablets are in-memory PouchDB
databases logged in as a user (session cookie + CSRF header, as the PWA; or HTTP Basic, as
a service account); the server is the app under a real threaded HTTP server.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import sqlalchemy as sa

from backend.db import read_transaction
from backend.sync import reads
from backend.sync.tables import archived_revisions
from backend.writes import save_docs
from tests import factories as f
from tests.sync.conftest import run_node

PLACES = 3  # the world's Puskesmas and two desa: reference documents every tablet gets


def tablet(name: str, username: str, auth: str = "cookie") -> dict:
    return {"op": "client", "name": name, "username": username, "password": f.PASSWORD,
            "auth": auth}


def run(base: str, *steps: dict) -> list:
    return run_node("scenario.mjs", {"base": base, "steps": list(steps)})["results"]


def village(count: int, desa: str = f.DESA_A) -> list[dict]:
    """Households, their members and visits, in the proportions of a real desa."""
    docs = []
    while len(docs) < count:
        household = f.household(desa)
        person = f.person(desa, household=household["_id"])
        docs += [household, person, f.encounter(person), f.encounter(person)]
    return docs[:count]


def server_info() -> dict:
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


def test_push_2000_documents_then_a_fresh_tablet_pulls_them_all(live_server):
    docs = village(2000)
    results = run(live_server,
                  tablet("a", "pustu_a"), {"op": "bulk", "client": "a", "docs": docs},
                  {"op": "push", "client": "a", "batch_size": 200},
                  tablet("b", "kader_a"), {"op": "pull", "client": "b", "batch_size": 200},
                  {"op": "ids", "client": "b"}, {"op": "stats", "client": "b"})
    push, pull, pulled_ids, stats = results[2], results[4], results[5], results[6]
    assert (push["ok"], push["docs_written"], push["doc_write_failures"]) == (True, 2000, 0)
    assert server_info()["doc_count"] == 2000 + PLACES
    assert pull["docs_written"] == 2000 + PLACES and pull["doc_write_failures"] == 0
    assert {d["_id"] for d in docs} <= set(pulled_ids)
    # _bulk_get is used (not one GET per document), and checkpoints went to _local.
    assert stats["requests"].get("_bulk_get") and not stats["requests"].get("doc")
    assert stats["requests"]["_local"] >= 2


def test_live_sync_carries_edits_and_deletions_both_ways(live_server):
    doc = f.person()
    results = run(live_server,
                  tablet("a", "pustu_a"), tablet("b", "kader_a"),
                  {"op": "live", "client": "a"}, {"op": "live", "client": "b"},
                  {"op": "put", "client": "a", "doc": doc},
                  {"op": "wait_for", "client": "b", "id": doc["_id"]},
                  {"op": "update", "client": "b", "id": doc["_id"], "set": {"name": "Siti"},
                   "ts": "2026-02-01T08:00:00+07:00"},
                  {"op": "wait_for", "client": "a", "id": doc["_id"], "field": "name",
                   "value": "Siti"},
                  {"op": "remove", "client": "a", "id": doc["_id"]},
                  {"op": "wait_for", "client": "b", "id": doc["_id"], "deleted": True},
                  {"op": "cancel_live", "client": "a"}, {"op": "cancel_live", "client": "b"})
    a_to_b, b_to_a, deletion = results[5], results[7], results[9]
    assert not any(r.get("timeout") for r in (a_to_b, b_to_a, deletion))
    assert max(a_to_b["ms"], b_to_a["ms"], deletion["ms"]) < 5000  # longpoll, not polling


def test_interrupted_replications_resume_from_their_checkpoints(live_server):
    docs = village(600)
    results = run(live_server,
                  tablet("a", "pustu_a"), {"op": "bulk", "client": "a", "docs": docs},
                  {"op": "push", "client": "a", "batch_size": 100, "cancel_after": 200},
                  {"op": "stats", "client": "a"}, {"op": "reset_stats", "client": "a"},
                  {"op": "push", "client": "a", "batch_size": 100},
                  {"op": "stats", "client": "a"},
                  tablet("b", "kader_a"),
                  {"op": "pull", "client": "b", "batch_size": 100, "cancel_after": 200},
                  {"op": "reset_stats", "client": "b"},
                  {"op": "pull", "client": "b", "batch_size": 100},
                  {"op": "stats", "client": "b"}, {"op": "ids", "client": "b"})
    first, sent_first, second, sent_second = results[2], results[3], results[5], results[6]
    assert first["status"] == "cancelled" and 200 <= first["docs_written"] < 600
    assert second["docs_written"] == 600 - first["docs_written"]
    # Nothing was sent twice, and the second run did not rescan what the first covered.
    assert sent_first["docs_sent"] + sent_second["docs_sent"] == 600
    assert sent_second["requests"]["_revs_diff"] <= (600 - first["docs_written"]) // 100 + 1
    pull_first, pull_second, pull_stats = results[8], results[10], results[11]
    assert pull_first["status"] == "cancelled"
    assert pull_second["docs_written"] == 600 + PLACES - pull_first["docs_written"]
    assert pull_stats["docs_requested"] == pull_second["docs_written"]
    assert len(results[12]) == 600 + PLACES


def test_two_tablets_edit_one_person_offline_and_both_edits_survive(live_server):
    person = f.person(phone="0811111111")
    save_docs([person], None)
    pid = person["_id"]
    results = run(live_server,
                  tablet("a", "pustu_a"), tablet("b", "kader_a"),
                  {"op": "pull", "client": "a"}, {"op": "pull", "client": "b"},
                  {"op": "update", "client": "a", "id": pid, "set": {"name": "Siti Aminah P."},
                   "ts": "2026-02-01T08:00:00+07:00"},
                  {"op": "update", "client": "b", "id": pid, "set": {"phone": "0822222222"},
                   "ts": "2026-02-01T09:30:00+07:00"},
                  {"op": "push", "client": "a"}, {"op": "push", "client": "b"},
                  {"op": "pull", "client": "a"}, {"op": "pull", "client": "b"},
                  {"op": "get", "client": "a", "id": pid, "opts": {"conflicts": True}},
                  {"op": "get", "client": "b", "id": pid, "opts": {"conflicts": True}},
                  {"op": "remote_get", "client": "a", "id": pid,
                   "opts": {"conflicts": True}})
    on_a, on_b, on_server = results[10], results[11], results[12]
    assert on_a["_rev"] == on_b["_rev"] == on_server["_rev"]  # one winner everywhere
    for doc in (on_a, on_b, on_server):
        assert "_conflicts" not in doc
        assert (doc["name"], doc["phone"]) == ("Siti Aminah P.", "0822222222")
    with read_transaction() as conn:
        archived = conn.execute(sa.select(archived_revisions.c.doc_id)).scalars().all()
    assert archived == [pid]  # the losing revision's body is kept


def test_a_desa_a_tablet_sees_nothing_of_desa_b_and_its_writes_there_are_refused(live_server):
    theirs, ours = f.person(desa=f.DESA_B), f.person()
    save_docs([theirs, ours], None)
    intruder, mine = f.person(desa=f.DESA_B), f.household()
    results = run(live_server,
                  tablet("a", "pustu_a"), {"op": "pull", "client": "a"},
                  {"op": "ids", "client": "a"},
                  {"op": "bulk", "client": "a", "docs": [intruder, mine]},
                  {"op": "push", "client": "a"})
    pulled, push = results[2], results[4]
    assert ours["_id"] in pulled and theirs["_id"] not in pulled
    assert push["ok"] and push["docs_written"] == 1 and push["doc_write_failures"] == 1
    assert [(d["id"], d["name"]) for d in push["denied"]] == [(intruder["_id"], "forbidden")]
    assert f.DESA_B in push["denied"][0]["reason"]
    with read_transaction() as conn:
        rows = reads.load_rows(conn, [intruder["_id"], mine["_id"]])
    assert list(rows) == [mine["_id"]]


def test_a_batch_with_one_invalid_document_lands_the_valid_ones(live_server):
    valid = [f.person() for _ in range(9)]
    invalid = f.person(birth_date="2999-01-01")
    results = run(live_server, tablet("a", "pustu_a"),
                  {"op": "bulk", "client": "a", "docs": [*valid[:4], invalid, *valid[4:]]},
                  {"op": "push", "client": "a"})
    push = results[2]
    assert (push["docs_written"], push["doc_write_failures"]) == (9, 1)
    assert push["denied"][0]["id"] == invalid["_id"] and "birth_date" in push["denied"][0]["reason"]
    assert server_info()["doc_count"] == 9 + PLACES


def test_scope_exits_are_reported_to_the_tablet_of_the_old_desa(live_server):
    person = f.person()
    rev = save_docs([person], None)[0]["rev"]
    results = run(live_server, tablet("a", "pustu_a"), {"op": "pull", "client": "a"})
    save_docs([{**person, "_rev": rev, "desa": f.DESA_B}], None)
    results = run(live_server, tablet("a", "pustu_a"), {"op": "pull", "client": "a"},
                  {"op": "ids", "client": "a"},
                  {"op": "fetch_json", "client": "a", "path": "_scope_exits?since=0"})
    pulled, exits = results[2], results[3]
    assert person["_id"] not in pulled
    assert exits["status"] == 200
    assert [(e["id"], e["from"]) for e in exits["body"]["results"]] == [
        (person["_id"], f.DESA_A)]


def test_a_service_account_replicates_everything_unwindowed(live_server):
    person = f.person(desa=f.DESA_B)
    old = f.encounter(person, date=(dt.date.today() - dt.timedelta(days=900)).isoformat())
    save_docs([person, old], None)
    results = run(live_server, tablet("hub", "admin", auth="basic"),
                  {"op": "pull", "client": "hub"}, {"op": "ids", "client": "hub"},
                  tablet("device", "pustu_b"), {"op": "pull", "client": "device"},
                  {"op": "ids", "client": "device"})
    assert {person["_id"], old["_id"]} <= set(results[2])
    assert person["_id"] in results[5] and old["_id"] not in results[5]


def test_attachments_travel_up_and_down(live_server):
    data = base64.b64encode(b"%PDF-1.4 surat rujukan puskesmas").decode()
    doc = {**f.person(), "_attachments": {"rujukan.pdf": {"content_type": "application/pdf",
                                                          "data": data}}}
    results = run(live_server, tablet("a", "pustu_a"), {"op": "put", "client": "a", "doc": doc},
                  {"op": "push", "client": "a"}, tablet("b", "kader_a"),
                  {"op": "pull", "client": "b"},
                  {"op": "get", "client": "b", "id": doc["_id"],
                   "opts": {"attachments": True}})
    assert results[2]["docs_written"] == 1
    assert results[5]["_attachments"]["rujukan.pdf"]["data"] == data



def converged(live_server: str, doc_id: str, *offline: dict) -> list:
    """A kader's tablet pulls, then `offline` steps run (its edits, maybe a colleague's), then
    it pushes (refused), pulls and pushes again. Returns the first push, the second push and
    what it sent, and the document on the tablet and on the server."""
    results = run(live_server, tablet("k", "kader_a"), {"op": "pull", "client": "k"},
                  *offline, {"op": "push", "client": "k"}, {"op": "pull", "client": "k"},
                  {"op": "reset_stats", "client": "k"}, {"op": "push", "client": "k"},
                  {"op": "stats", "client": "k"},
                  {"op": "get", "client": "k", "id": doc_id, "opts": {"conflicts": True}},
                  {"op": "remote_get", "client": "k", "id": doc_id,
                   "opts": {"conflicts": True}})
    push, _, _, second, stats, on_tablet, on_server = results[2 + len(offline):]
    assert second["docs_written"] == 0 and stats["docs_sent"] == 0  # nothing new to send
    return [push, on_tablet, on_server]


def edit(client: str, doc_id: str, **changes) -> dict:
    return {"op": "update", "client": client, "id": doc_id, "set": changes,
            "ts": "2026-02-01T08:00:00+07:00"}


def archived_rows() -> list:
    with read_transaction() as conn:
        return conn.execute(sa.select(archived_revisions)).all()


def test_a_kaders_refused_task_edit_converges_on_the_tablet(live_server):
    person = f.person()
    task = f.task(person)
    save_docs([person, task], None)
    push, on_tablet, on_server = converged(live_server, task["_id"],
                                           edit("k", task["_id"], status="done"))
    # The code survives PouchDB: its `denied` event is the server's per-document result.
    assert [(d["id"], d["name"], d["code"]) for d in push["denied"]] == [
        (task["_id"], "forbidden", "role")]
    assert on_tablet == on_server and on_tablet["status"] == "open"
    assert on_tablet["_rev"].startswith("3-")  # the server's content on top of the refused edit
    [kept] = archived_rows()
    assert (kept.doc_id, kept.reason, kept.archived_by) == (task["_id"], "refused_role", "kader_a")
    assert json.loads(kept.body)["status"] == "done"


def test_a_refused_edit_converges_when_the_servers_winner_moved_on(live_server):
    person = f.person()
    task = f.task(person)
    save_docs([person, task], None)
    push, on_tablet, on_server = converged(
        live_server, task["_id"], tablet("p", "pustu_a"), {"op": "pull", "client": "p"},
        edit("k", task["_id"], status="cancelled"), edit("p", task["_id"], status="in_progress"),
        {"op": "push", "client": "p"})
    assert push["denied"][0]["code"] == "role"
    assert on_tablet == on_server and on_tablet["status"] == "in_progress"
    assert on_tablet["_rev"].startswith("2-") and "_conflicts" not in on_tablet
    assert json.loads(archived_rows()[0].body)["status"] == "cancelled"


def test_a_refused_move_out_of_the_area_converges_and_the_person_stays(live_server):
    person = f.person()
    save_docs([person], None)
    push, on_tablet, on_server = converged(live_server, person["_id"],
                                           edit("k", person["_id"], desa=f.DESA_B))
    assert push["denied"][0]["code"] == "area"
    assert on_tablet == on_server and on_tablet["desa"] == f.DESA_A
    assert json.loads(archived_rows()[0].body)["desa"] == f.DESA_B


def test_a_task_a_kader_deleted_offline_comes_back_on_the_tablet(live_server):
    person = f.person()
    task = f.task(person)
    save_docs([person, task], None)
    push, on_tablet, on_server = converged(live_server, task["_id"],
                                           {"op": "remove", "client": "k", "id": task["_id"]})
    assert push["denied"][0]["code"] == "role"
    assert on_tablet == on_server and on_tablet["status"] == "open"
    assert not on_tablet.get("_deleted")
    assert archived_rows()[0].reason == "refused_role"


def test_a_visit_refused_before_its_person_arrived_is_pushed_again(live_server):
    person = f.person()
    visit, orphan = f.encounter(person), f.encounter(f.person())
    results = run(live_server, tablet("a", "pustu_a"),
                  {"op": "put", "client": "a", "doc": person},
                  {"op": "bulk", "client": "a", "docs": [visit, orphan]},
                  edit("a", person["_id"], phone="0812345678"),  # the person goes out last
                  {"op": "push_retrying", "client": "a", "batch_size": 1})
    push = results[4]
    assert [(d["id"], d["code"]) for d in push["first"]["denied"]] == [
        (visit["_id"], "reference_missing"), (orphan["_id"], "reference_missing")]
    assert push["waiting"] == 2
    # Pushed once more: the visit lands; the orphan, refused again, stays listed.
    assert push["again"]["docs_written"] == 1
    assert [(d["id"], d["code"]) for d in push["again"]["denied"]] == [
        (orphan["_id"], "reference_missing")]
    with read_transaction() as conn:
        assert set(reads.load_rows(conn, [visit["_id"], orphan["_id"]])) == {visit["_id"]}

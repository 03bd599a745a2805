"""A merge with real PouchDB tablets (tests/node/scenario.mjs): two tablets register the same
woman twice, record visits on both records offline while the Puskesmas merges them, then
sync; both end with one living person holding every visit, and nothing in conflict
(docs/review.md, "Merging and undo"; backend/review/merge.py, follow.py).
"""

from __future__ import annotations

import datetime as dt

from backend.auth.users import get_user
from backend.db import write_transaction
from backend.review.merge import merge
from backend.sync import notify
from tests import factories as f
from tests.sync.conftest import live_server, run_node  # noqa: F401  (fixture)
from tests.sync.test_restore_conformance import operator

TODAY = dt.date.today()


def tablet(name: str, username: str) -> dict:
    return {"op": "client", "name": name, "username": username, "password": f.PASSWORD,
            "auth": "cookie"}


def test_two_tablets_keep_every_visit_of_a_merged_duplicate(app, live_server):  # noqa: F811
    siti = f.person(name="Siti Aminah", phone="081234567890")         # kader's tablet
    dup = f.person(name="Siti Aminah", nik="3204195705940001")         # bidan's tablet
    first = [f.encounter(siti, notes="K1 di Posyandu"), f.encounter(dup, notes="KB di Pustu")]
    task = f.task(dup, reason="Kunjungan rumah: cek tekanan darah")
    offline_a = [f.encounter(siti, notes="Offline A pada Siti"),
                 f.encounter(dup, notes="Offline A pada duplikat")]
    offline_b = [f.encounter(dup, notes="Offline B pada duplikat")]
    visits = [*first, *offline_a, *offline_b]

    def do_merge():
        with app.app_context():
            with write_transaction() as conn:
                kapus = get_user(conn, username="kapus")[0]
                merge(conn, kapus, siti["_id"], dup["_id"])
            notify.changed()

    ids = [siti["_id"], dup["_id"], task["_id"], *(v["_id"] for v in visits)]
    with operator({"merge": do_merge}) as ops:
        results = run_node("scenario.mjs", {"base": live_server, "steps": [
            tablet("a", "kader_a"), tablet("b", "pustu_a"),
            {"op": "bulk", "client": "a", "docs": [siti, first[0]]},
            {"op": "bulk", "client": "b", "docs": [dup, first[1], task]},
            {"op": "push", "client": "a"}, {"op": "push", "client": "b"},
            {"op": "pull", "client": "a"}, {"op": "pull", "client": "b"},
            # Offline: visits on both records, the bidan closes the duplicate's task ...
            {"op": "bulk", "client": "a", "docs": offline_a},
            {"op": "bulk", "client": "b", "docs": offline_b},
            {"op": "update", "client": "b", "id": task["_id"],
             "set": {"status": "done", "outcome_code": "datang", "outcome": "Sudah diperiksa"},
             "ts": "2026-02-01T09:00:00+07:00", "by": "pustu_a"},
            # ... while the Puskesmas merges the duplicate into Siti.
            {"op": "server", "url": f"{ops}/merge"},
            {"op": "push", "client": "b"}, {"op": "push", "client": "a"},
            {"op": "pull", "client": "a"}, {"op": "pull", "client": "b"},
            *({"op": "get", "client": c, "id": i, "opts": {"conflicts": True}}
              for c in ("a", "b") for i in ids),
            *({"op": "remote_get", "client": "a", "id": i, "opts": {"conflicts": True}}
              for i in ids),
        ]})["results"]
    pushed = [r for r in results if isinstance(r, dict) and "denied" in r]
    assert all(not r["denied"] for r in pushed), pushed
    held = results[-3 * len(ids):]
    copies = {"a": held[:len(ids)], "b": held[len(ids):2 * len(ids)],
              "server": held[2 * len(ids):]}
    for where, docs in copies.items():
        by_id = dict(zip(ids, docs, strict=True))
        for doc_id, doc in by_id.items():
            assert "error" not in doc, (where, doc_id, doc)
            assert "_conflicts" not in doc, (where, doc_id, doc["_conflicts"])
        # One living person: the duplicate is kept, merged into Siti, who took its NIK.
        assert "merged_into" not in by_id[siti["_id"]], where
        assert by_id[dup["_id"]]["merged_into"] == siti["_id"], where
        assert by_id[siti["_id"]]["nik"] == dup["nik"], where
        # Every visit, from before and during the merge, on both tablets, is Siti's.
        assert {by_id[v["_id"]]["person"] for v in visits} == {siti["_id"]}, where
        assert {by_id[v["_id"]]["notes"] for v in visits} == {v["notes"] for v in visits}
        # The task closed offline stays closed, and is Siti's.
        assert (by_id[task["_id"]]["person"], by_id[task["_id"]]["status"]) == (
            siti["_id"], "done"), where
    revs = {where: [doc["_rev"] for doc in docs] for where, docs in copies.items()}
    assert revs["a"] == revs["b"] == revs["server"]   # one winner everywhere

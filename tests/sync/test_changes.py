"""`_changes`: scoped to the caller's desa, paged, windowed for devices, and longpoll."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from backend.db import read_transaction
from backend.sync import notify, reads
from backend.writes import save_docs
from tests import factories as f

HUNG_S = 60  # only a hung server takes this long; never a measure of speed


def update_seq() -> int:
    with read_transaction() as conn:
        return reads.info(conn, "siklus")["update_seq"]


def ids(response) -> list[str]:
    return [r["id"] for r in response.json["results"]]


def test_changes_are_scoped_to_the_desa_plus_reference_documents(couch, world):
    mine, theirs = f.person(), f.person(desa=f.DESA_B)
    save_docs([mine, theirs], None)
    seen = ids(couch("pustu_a").get("/_changes"))
    assert mine["_id"] in seen and theirs["_id"] not in seen
    assert {d["_id"] for d in world.desa.values()} <= set(seen)  # places: everyone reads them
    assert theirs["_id"] in ids(couch("pustu_b").get("/_changes"))


def test_last_seq_advances_past_changes_outside_scope(couch):
    since = update_seq()
    save_docs([f.person(desa=f.DESA_B) for _ in range(3)], None)
    response = couch("pustu_a").get(f"/_changes?since={since}")
    assert response.json == {"results": [], "last_seq": since + 3}


def test_limit_pages_through_every_change_exactly_once(couch):
    docs = [f.person(desa=d) for d in (f.DESA_A, f.DESA_B) * 5]
    save_docs(docs, None)
    client, since, seen = couch("pustu_a"), 0, []
    while True:
        page = client.get(f"/_changes?since={since}&limit=2").json
        seen += [r["id"] for r in page["results"]]
        since = page["last_seq"]
        if not page["results"]:
            break
    expected = [d["_id"] for d in docs if d["desa"] == f.DESA_A]
    assert [i for i in seen if i.startswith("person:")] == expected
    assert since == update_seq()


def test_style_all_docs_lists_every_leaf_and_include_docs_the_winner(couch):
    doc = f.person()
    save_docs([{**doc, "_rev": "1-aaa"}, {**doc, "_rev": "2-bbb", "name": "B",
               "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}},
               {**doc, "_rev": "2-ccc", "name": "C",
               "_revisions": {"start": 2, "ids": ["ccc", "aaa"]}}], None, new_edits=False)
    client = couch("pustu_a")
    [main] = [r for r in client.get("/_changes").json["results"] if r["id"] == doc["_id"]]
    [every] = [r for r in client.get("/_changes?style=all_docs&include_docs=true&conflicts=true")
               .json["results"] if r["id"] == doc["_id"]]
    assert main["changes"] == [{"rev": "2-ccc"}]
    assert sorted(c["rev"] for c in every["changes"]) == ["2-bbb", "2-ccc"]
    assert every["doc"]["name"] == "C" and every["doc"]["_conflicts"] == ["2-bbb"]


def test_deleted_documents_are_flagged(couch):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    save_docs([{"_id": doc["_id"], "_rev": rev, "_deleted": True}], None)
    [entry] = [r for r in couch("pustu_a").get("/_changes").json["results"]
               if r["id"] == doc["_id"]]
    assert entry["deleted"] is True


def test_post_with_doc_ids_filter(couch):
    wanted, other = f.person(), f.person()
    save_docs([wanted, other], None)
    response = couch("pustu_a").post("/_changes?filter=_doc_ids",
                                     json={"doc_ids": [wanted["_id"]]})
    assert ids(response) == [wanted["_id"]]


def test_old_encounters_stay_off_devices_but_reach_service_accounts(app, couch):
    person = f.person()
    old_day = (dt.date.today() - dt.timedelta(days=800)).isoformat()
    old, recent = f.encounter(person, date=old_day), f.encounter(person)
    save_docs([person, old, recent], None)
    device = ids(couch("pustu_a").get("/_changes"))
    service = ids(couch("admin", basic=True).get("/_changes"))
    assert recent["_id"] in device and old["_id"] not in device
    assert {old["_id"], recent["_id"]} <= set(service)
    # The window is a setting; the old encounter stays readable by id.
    assert couch("pustu_a").get(f"/{old['_id']}").status_code == 200
    app.config["DEVICE_ENCOUNTER_WINDOW_MONTHS"] = 36
    assert old["_id"] in ids(couch("pustu_a").get("/_changes"))



def test_an_old_encounters_tombstone_reaches_devices_and_a_new_branch_does_not_unwindow_it(couch):
    person = f.person()
    old = f.encounter(person, date=(dt.date.today() - dt.timedelta(days=800)).isoformat())
    rev1 = save_docs([person, old], None)[1]["rev"]
    rev2 = save_docs([{**old, "_rev": rev1, "notes": "a"}], None)[0]["rev"]
    # A losing branch ("0" sorts below any hash): the winner and its date stay.
    save_docs([{**old, "_rev": "2-0", "_revisions": {"start": 2, "ids": [
        "0", rev1.split("-")[1]]}, "notes": "cabang"}], None, new_edits=False)
    assert old["_id"] not in ids(couch("pustu_a").get("/_changes"))
    save_docs([{"_id": old["_id"], "_rev": "2-0", "_deleted": True},
               {"_id": old["_id"], "_rev": rev2, "_deleted": True}], None)
    assert old["_id"] in ids(couch("pustu_a").get("/_changes"))

@pytest.mark.parametrize("query", ["since=abc", "feed=continuous", "style=winners",
                                   "limit=-1", "filter=app/by_desa", "heartbeat=often",
                                   "descending=true"])
def test_unsupported_or_malformed_parameters_are_bad_requests(couch, query):
    response = couch("pustu_a").get(f"/_changes?{query}")
    assert response.status_code == 400 and response.json["error"] == "bad_request"


def test_since_now_starts_at_the_current_sequence(couch):
    response = couch("pustu_a").get("/_changes?since=now")
    assert response.json == {"results": [], "last_seq": update_seq()}


def test_longpoll_answers_at_once_when_changes_wait(couch):
    doc = f.person()
    save_docs([doc], None)
    response = couch("pustu_a").get("/_changes?feed=longpoll&since=3&timeout=60000")
    assert ids(response) == [doc["_id"]]
    # Not streamed: a waiting longpoll's body starts with a heartbeat newline. (A condition,
    # not a stopwatch: on a busy machine even an immediate answer can take a second.)
    assert not response.get_data(as_text=True).startswith("\n")


class WaitProbe:
    """Records the sequence each longpoll wait starts from, so a test can wait until the
    request is really waiting (past a given sequence) instead of sleeping and hoping."""

    def __init__(self, monkeypatch):
        self.seqs: list[int] = []
        self.moved = threading.Condition()
        real = notify.wait_beyond

        def wait_beyond(seq, *args):
            with self.moved:
                self.seqs.append(seq)
                self.moved.notify_all()
            return real(seq, *args)

        monkeypatch.setattr(notify, "wait_beyond", wait_beyond)

    def waiting_past(self, seq: int) -> bool:
        """Block until a wait starts from `seq` or later (a deadline only for a hung server)."""
        with self.moved:
            return self.moved.wait_for(lambda: any(s >= seq for s in self.seqs), HUNG_S)


def _longpoll_in_thread(client, query):
    box = {}
    thread = threading.Thread(target=lambda: box.update(
        response=client.get(f"/_changes?feed=longpoll&{query}", buffered=True)))
    thread.start()
    return thread, box


def test_longpoll_waits_for_a_change_in_scope(app, couch, monkeypatch):
    probe = WaitProbe(monkeypatch)
    since = update_seq()
    thread, box = _longpoll_in_thread(couch("pustu_a"), f"since={since}&heartbeat=50")
    assert probe.waiting_past(since)
    save_docs([f.person(desa=f.DESA_B)], None)   # not theirs: the wait goes on
    assert probe.waiting_past(since + 1)         # examined it, and waits again
    assert thread.is_alive()
    mine = f.person()
    save_docs([mine], None)
    thread.join(HUNG_S)
    body = box["response"].get_data(as_text=True)
    assert body.startswith("\n")  # the headers went out at once, before any change
    response = box["response"].json
    assert [r["id"] for r in response["results"]] == [mine["_id"]]
    assert response["last_seq"] == since + 2


def test_longpoll_times_out_with_an_empty_result_past_foreign_changes(couch):
    since = update_seq()
    save_docs([f.person(desa=f.DESA_B)], None)
    started = time.monotonic()
    # A timeout of many heartbeats: at least one falls inside it even when the machine is
    # so busy that the thread sleeps far longer than asked.
    response = couch("pustu_a").get(f"/_changes?feed=longpoll&since={since}"
                                    "&timeout=2000&heartbeat=100", buffered=True)
    assert 1.95 < time.monotonic() - started < HUNG_S
    assert response.get_data(as_text=True).count("\n") >= 2
    assert response.json == {"results": [], "last_seq": since + 1}

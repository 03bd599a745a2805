"""A random history of writes through the store, for properties that must hold after any."""

from __future__ import annotations

import random

from backend.db import read_transaction
from backend.sync import reads, revtree
from backend.writes import save_docs
from tests import factories as f


class RandomHistory:
    """Interactive edits, replicated conflicting branches, deletions and desa moves."""

    def __init__(self, rnd: random.Random):
        self.rnd, self.live = rnd, {}
        self.written: dict[tuple[str, str], str | None] = {}  # (id, rev) -> its created_by

    def step(self) -> None:
        action = self.rnd.choice(["create", "create", "edit", "branch", "delete", "move"])
        if action == "create" or not self.live:
            return self._create()
        doc_id = self.rnd.choice(sorted(self.live))
        doc, rev = self.live[doc_id]
        getattr(self, f"_{action}")(doc, rev)

    def _create(self):
        rnd = self.rnd
        person = f.person(desa=rnd.choice([f.DESA_A, f.DESA_B]), name=f"Orang {rnd.random():.6f}")
        docs = [person]
        if rnd.random() < 0.7:
            docs.append(f.encounter(person, measurements={
                "weight_kg": round(rnd.uniform(40, 90), 1), "sbp": rnd.randint(100, 170),
                "dbp": rnd.randint(60, 95)}, diagnoses=[{"icd10": "I10", "case": "baru"}]))
        if rnd.random() < 0.3:
            docs.append(f.task(person))
        for doc, result in zip(docs, save_docs(docs, None), strict=True):
            self.live[doc["_id"]] = (doc, result["rev"])
            self.written[(doc["_id"], result["rev"])] = doc["created_by"]

    def _edit(self, doc, rev):
        if doc["type"] == "encounter":
            return
        changed = {**doc, "_rev": rev, "created_by": f"edit-{self.rnd.randint(0, 999)}"}
        [result] = save_docs([changed], None)
        assert result.get("ok"), result
        self.live[doc["_id"]] = ({k: v for k, v in changed.items() if k != "_rev"},
                                 result["rev"])
        self.written[(doc["_id"], result["rev"])] = changed["created_by"]

    def _branch(self, doc, rev):
        """A second device's edit of the same parent, arriving by replication: a sibling."""
        with read_transaction() as conn:
            ids = reads.get_doc(conn, doc["_id"], rev, reads.ReadOptions(revs=True))[
                "_revisions"]["ids"]
        pos = revtree.parse_rev(rev)[0]
        fork_id = f"{self.rnd.getrandbits(64):016x}"
        body = {**doc, "created_by": "device-2", "_rev": f"{pos}-{fork_id}",
                "_revisions": {"start": pos, "ids": [fork_id, *ids[1:]]}}
        assert save_docs([body], None, new_edits=False)[0]["ok"]
        self.written[(doc["_id"], body["_rev"])] = "device-2"

    def _delete(self, doc, rev):
        [result] = save_docs([{"_id": doc["_id"], "_rev": rev, "_deleted": True}], None)
        assert result["ok"], result
        del self.live[doc["_id"]]
        self.written[(doc["_id"], result["rev"])] = None

    def _move(self, doc, rev):
        """A person moves desa. Their visits and tasks stay where they were made: moving one
        alone would point it at a person of another desa, which the store refuses."""
        if doc["type"] != "person":
            return self._edit(doc, rev)
        desa = f.DESA_B if doc["desa"] == f.DESA_A else f.DESA_A
        return self._edit({**doc, "desa": desa}, rev)

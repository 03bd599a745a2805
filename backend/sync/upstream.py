"""Federation with an upstream Apache CouchDB (district or national hub), via the `couchdb` package.

This is the only module that imports `couchdb`. It replicates the way CouchDB's own
replicator does — changes, `_revs_diff`, fetch the missing revisions with their history,
write them with `new_edits=false` — between this server's document store (in-process) and a
remote database URL such as `https://user:pass@hub.example/siklus_320419`.

* pull: remote changes → our store, as system writes through the write policy: a document
  of a desa that is not this Puskesmas's is refused per document (counted, never stored);
  conflicts it creates are merged by the resolver like any replicated batch. The hub's
  changes come in its own order, so a document whose reference is not here yet
  (`reference_missing`) is tried again with each later batch, and the checkpoint waits until
  none is left over: a later run starts before it rather than skip it.
* push: our changes → the remote, every document unscoped and unwindowed.
Checkpoints are `_local`-style rows on our side, one per remote URL and direction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import couchdb

from backend.db import read_transaction, write_transaction
from backend.sync import conflicts, local_docs, reads
from backend.writes import save_docs

_REPLICATED = reads.ReadOptions(revs=True, attachments=True, latest=True)


@dataclass
class Report:
    direction: str
    docs_read: int = 0
    docs_written: int = 0
    failures: list[dict] = field(default_factory=list)
    last_seq: object = 0


def connect(url: str) -> couchdb.Database:
    """The remote database; fails early (couchdb.http errors) when it cannot be reached."""
    remote = couchdb.Database(url)
    remote.info()
    return remote


def public_url(url: str) -> str:
    return couchdb.http.extract_credentials(url)[0]


def _checkpoint_key(remote: couchdb.Database, direction: str) -> str:
    digest = hashlib.sha256(public_url(remote.resource.url).encode()).hexdigest()[:32]
    return local_docs.key("upstream", f"{digest}/{direction}")


def _load_checkpoint(key: str) -> object:
    with read_transaction() as conn:
        found = local_docs.get(conn, key)
    return found[1]["last_seq"] if found else 0


def _save_checkpoint(key: str, last_seq: object) -> None:
    with write_transaction() as conn:
        found = local_docs.get(conn, key)
        rev = f"0-{found[0]}" if found else None
        local_docs.put(conn, key, {"_rev": rev, "last_seq": last_seq})


def _run(report: Report, key: str, batch: Callable[[object], tuple[int, object]],
         settled: Callable[[], bool] = lambda: True) -> Report:
    """Call `batch(since)` until it reports no more changes, checkpointing after each one
    that leaves nothing `settled()` says is still pending."""
    since = _load_checkpoint(key)
    while True:
        count, last_seq = batch(since)
        if count == 0:
            break
        if settled():
            _save_checkpoint(key, last_seq)
        since = report.last_seq = last_seq
    report.last_seq = since
    return report


def pull(remote: couchdb.Database, batch_size: int = 200) -> Report:
    """Bring the remote's changes into our store."""
    report = Report("pull")
    waiting: dict[str, tuple[dict, dict]] = {}   # refused for a missing reference: doc, result

    def batch(since: object) -> tuple[int, object]:
        feed = remote.changes(since=since, limit=batch_size, style="all_docs")
        wanted = {r["id"]: [c["rev"] for c in r["changes"]] for r in feed["results"]}
        with read_transaction() as conn:
            diff = reads.revs_diff(conn, wanted)
        docs = _fetch_remote(remote, diff)
        report.docs_read += len(docs)
        retry = [doc for doc, _ in waiting.values()]
        if docs or retry:
            waiting.clear()
            waiting.update(_store(docs + retry, report))
        return len(feed["results"]), feed["last_seq"]

    _run(report, _checkpoint_key(remote, "pull"), batch, settled=lambda: not waiting)
    report.failures.extend(result for _, result in waiting.values())
    return report


def _fetch_remote(remote: couchdb.Database, diff: dict) -> list[dict]:
    wanted = [{"id": doc_id, "rev": rev} for doc_id, d in diff.items() for rev in d["missing"]]
    if not wanted:
        return []
    _, _, data = remote.resource.post_json("_bulk_get", body={"docs": wanted}, revs=True,
                                           latest=True, attachments=True)
    return [d["ok"] for result in data["results"] for d in result["docs"] if "ok" in d]


def _store(docs: list[dict], report: Report) -> dict[str, tuple[dict, dict]]:
    """Write a batch; returns the documents refused for a reference not (yet) here."""
    results = save_docs(docs, None, new_edits=False)
    by_id = {doc.get("_id"): doc for doc in docs}
    failed = [r for r in results if "error" in r]
    waiting = {r["id"]: (by_id[r["id"]], r) for r in failed
               if r.get("code") == "reference_missing" and r["id"] in by_id}
    report.failures.extend(r for r in failed if r["id"] not in waiting)
    report.docs_written += len(results) - len(failed)
    conflicts.resolve_pending([r["id"] for r in results if r.get("ok")])
    return waiting


def push(remote: couchdb.Database, batch_size: int = 200) -> Report:
    """Send our changes to the remote."""
    report = Report("push")

    def batch(since: object) -> tuple[int, object]:
        with read_transaction() as conn:
            changes, last_seq = reads.changes(conn, int(since), batch_size, None, True)
        wanted = {r["id"]: [c["rev"] for c in r["changes"]] for r in changes}
        diff = remote.resource.post_json("_revs_diff", body=wanted)[2] if wanted else {}
        requests = [{"id": doc_id, "rev": rev} for doc_id, d in diff.items()
                    for rev in d["missing"]]
        with read_transaction() as conn:
            found = reads.bulk_get(conn, requests, _REPLICATED, lambda _scope: True)
        docs = [d["ok"] for result in found for d in result["docs"] if "ok" in d]
        report.docs_read += len(docs)
        if docs:
            failed = [r for r in remote.update(docs, new_edits=False) if not r[0]]
            report.failures.extend({"id": r[1], "error": str(r[2])} for r in failed)
            report.docs_written += len(docs) - len(failed)
        return len(changes), last_seq

    return _run(report, _checkpoint_key(remote, "push"), batch)

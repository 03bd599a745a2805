"""`_changes` (normal and longpoll) and `_scope_exits`, both scoped to the caller's area.

Longpoll answers at once when changes are waiting; otherwise it streams: a newline goes out
immediately (the headers with it) and again every `heartbeat` ms, until a change in the
caller's scope commits or the timeout passes. JSON allows whitespace before a value, so the
heartbeats cost PouchDB nothing (it parses the whole body when it ends).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Response, current_app, request, stream_with_context

from backend.db import read_transaction
from backend.sync import changes_feed, notify, reads
from backend.sync.access import Access
from backend.sync.http.blueprint import bp, json_response, sync_access
from backend.sync.http.params import bad_request, bounded_int, flag, integer, json_arg, json_body
from backend.sync.prepare import REFERENCE_SCOPE

FEEDS = {"normal", "longpoll"}
DEFAULT_HEARTBEAT_MS = 60000  # CouchDB's value for `heartbeat=true`


@dataclass(frozen=True)
class ChangesQuery:
    since: int | None            # None: "now"
    limit: int
    feed: str
    all_leaves: bool
    timeout_s: float
    heartbeat_s: float | None
    doc_ids: list[str] | None
    docs: reads.ReadOptions | None

    @classmethod
    def from_request(cls) -> ChangesQuery:
        cfg = current_app.config
        feed = request.args.get("feed", "normal")
        if feed not in FEEDS:
            raise bad_request(f"feed={feed} is not supported here; use normal or longpoll")
        if flag("descending"):
            raise bad_request("descending changes are not supported")
        style = request.args.get("style", "main_only")
        if style not in {"main_only", "all_docs"}:
            raise bad_request("style must be main_only or all_docs")
        max_wait = cfg["LONGPOLL_TIMEOUT_MS"]
        include = flag("include_docs")
        return cls(
            since=_since(), feed=feed, all_leaves=style == "all_docs",
            limit=min(integer("limit", None, minimum=0) or cfg["CHANGES_MAX_LIMIT"],
                      cfg["CHANGES_MAX_LIMIT"]),
            timeout_s=min(integer("timeout", max_wait) or max_wait, max_wait) / 1000,
            heartbeat_s=_heartbeat_s(), doc_ids=_doc_ids(),
            docs=reads.ReadOptions(conflicts=flag("conflicts"), attachments=flag("attachments"))
            if include else None)


def _since() -> int | None:
    raw = request.args.get("since", "0")
    if raw == "now":
        return None
    # CouchDB 2+ sequences look like "12-g1AAA..."; ours are integers, echo them back.
    number = raw.split("-", 1)[0]
    if number.startswith("-") or not number.lstrip("+").isdigit():
        raise bad_request(f"Malformed since value {raw[:40]!r}")
    return bounded_int("since", number)


def _heartbeat_s() -> float | None:
    raw = request.args.get("heartbeat")
    if raw in (None, "false"):
        return None
    if raw == "true":
        return DEFAULT_HEARTBEAT_MS / 1000
    return max(integer("heartbeat", DEFAULT_HEARTBEAT_MS, minimum=1), 100) / 1000


def _doc_ids() -> list[str] | None:
    chosen = request.args.get("filter")
    if chosen is None:
        return None
    if chosen != "_doc_ids":
        raise bad_request(f"filter {chosen!r} is not supported; only _doc_ids")
    ids = json_body(dict).get("doc_ids") if request.method == "POST" else json_arg("doc_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad_request("filter=_doc_ids needs a doc_ids list")
    return ids


def _update_seq() -> int:
    with read_transaction() as conn:
        return changes_feed.current_seq(conn)


def _read(query: ChangesQuery, access: Access, since: int) -> changes_feed.Page:
    with read_transaction() as conn:
        return changes_feed.read(conn, since, query.limit, access.scopes, query.all_leaves,
                                 access.encounter_cutoff, doc_ids=query.doc_ids,
                                 docs=query.docs)


def _page_json(page: changes_feed.Page) -> str:
    return f'{{"results":[{",".join(page.results)}],"last_seq":{page.last_seq}}}'


@bp.route("/<db>/_changes", methods=["GET", "POST"])
def changes(db: str):
    query, access = ChangesQuery.from_request(), sync_access()
    since = _update_seq() if query.since is None else query.since
    page = _read(query, access, since)
    if page.results or query.feed == "normal":
        return Response(_page_json(page), mimetype="application/json")
    poll_s = current_app.config["LONGPOLL_POLL_MS"] / 1000
    stream = _longpoll(query, access, page.last_seq, poll_s)
    return Response(stream_with_context(stream), mimetype="application/json")


def _longpoll(query: ChangesQuery, access: Access, since: int, poll_s: float) -> Iterator[str]:
    deadline = time.monotonic() + query.timeout_s
    page = changes_feed.Page([], since)
    yield "\n"
    while not page.results:
        now = time.monotonic()
        if now >= deadline:
            break
        beat = min(deadline, now + query.heartbeat_s) if query.heartbeat_s else deadline
        if notify.wait_beyond(since, _update_seq, beat, poll_s) > since:
            # Out-of-scope changes still move `since` on: they were examined.
            page = _read(query, access, since)
            since = page.last_seq
        elif time.monotonic() < deadline:
            yield "\n"
    yield _page_json(page)


@bp.get("/<db>/_scope_exits")
def scope_exits(db: str):
    """Documents that moved out of the caller's desa since `since`: the PWA purges them.
    A service account sees every desa, so nothing ever leaves its scope."""
    since = integer("since", 0)
    limit = min(integer("limit", None, minimum=1) or 1000, current_app.config["CHANGES_MAX_LIMIT"])
    access = sync_access()
    desa = [s for s in access.scopes or () if s != REFERENCE_SCOPE]
    with read_transaction() as conn:
        update_seq = reads.info(conn, db)["update_seq"]
        results = reads.scope_exits_since(conn, since, desa, limit) if desa else []
    last_seq = results[-1]["seq"] if len(results) == limit else max(update_seq, since)
    return json_response({"results": results, "last_seq": last_seq})

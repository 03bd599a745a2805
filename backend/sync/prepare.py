"""Check one incoming document before it touches the store: id, revisions, schema, attachments.

Every refusal is a `DocError` carrying a CouchDB error name. Content refusals use `forbidden`
on purpose: PouchDB's replicator counts a `forbidden` result as a write failure and carries on
with the batch, whereas any other per-document error aborts the whole replication.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from dataclasses import dataclass, field

from backend import jsontext
from backend.documents.fieldtypes import UUID_TEXT
from backend.documents.schemas import SCHEMAS, describe_errors, validate_document
from backend.documents.types import REFERENCE_TYPES
from backend.sync import revtree

# Underscore fields that describe a revision rather than belong to its body.
_META_FIELDS = {"_id", "_rev", "_revisions", "_deleted", "_conflicts", "_deleted_conflicts",
                "_revs_info", "_local_seq"}
REFERENCE_SCOPE = "*"
# `<type>:<uuid>`: the PWA makes UUIDv7, the server v4, the demo v4 from its seed.
DOC_ID = re.compile(rf"^([a-z][a-z_]*):{UUID_TEXT}\Z")  # \Z: no trailing newline
# The schema versions this server reads, per type. A newer PWA writing a later version is
# refused (code `schema_version`) until the server learns it, rather than stored half-read.
SCHEMA_VERSIONS: dict[str, frozenset[int]] = {doc_type: frozenset({1}) for doc_type in SCHEMAS}
# Attachments a record may carry: photos (KIA book pages, wounds), scanned letters, and small
# text or JSON exports. Served back with exactly this type and `nosniff`; nothing a browser
# would run (HTML, SVG, JavaScript) is accepted. See docs/sync.md.
ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf",
                              "text/plain", "application/json", "application/octet-stream"})


class DocError(Exception):
    """A refusal: CouchDB error name, a readable reason, the HTTP status, and for refused
    documents a stable machine-readable `code` (see REFUSAL_CODES) the PWA maps to its text."""

    def __init__(self, error: str, reason: str, status: int = 400, code: str | None = None):
        super().__init__(reason)
        self.error, self.reason, self.status, self.code = error, reason, status, code


# Why a document was refused, as a stable code beside CouchDB's `error` name. The PWA shows
# the user a sentence per code (pwa/static/js/i18n), never the English `reason`.
REFUSAL_CODES = {
    "invalid": "the document does not match its schema",
    "bad_id": "the _id is not '<type>:<uuid>' of a known type",
    "schema_version": "the document's schema version is not one this server reads",
    "attachment": "an attachment is malformed, too large or of a refused content type",
    "role": "the writer's role may not write this document type",
    "area": "the document's desa (or the desa it leaves) is outside the writer's area",
    "unknown_desa": "the desa is not a desa of this Puskesmas",
    "reference_missing": "a referenced document does not exist on the server (yet)",
    "reference_scope": "a referenced document lies in another desa or outside the area",
    "reference_kind": "a referenced place is not of a kind allowed in that field",
    "before_birth": "a visit or a dose it records is dated before the person's birth date",
}


@dataclass
class Incoming:
    """A checked document ready for the revision tree."""

    id: str
    type: str
    deleted: bool
    body: dict                    # stored body: no revision meta, attachments as stubs
    rev: str | None = None        # the client's _rev (parent for new_edits=true, leaf otherwise)
    path: list[str] = field(default_factory=list)   # leaf-first, for new_edits=false
    new_attachments: list[dict] = field(default_factory=list)

    @property
    def scope(self) -> str | None:
        return scope_of(self.type, self.body)


def scope_of(doc_type: str, body: dict) -> str | None:
    """The replication key: the desa code, or '*' for reference documents everyone reads."""
    if doc_type in REFERENCE_TYPES:
        return REFERENCE_SCOPE
    desa = body.get("desa")
    return desa if isinstance(desa, str) else None


def prepare(doc: object, new_edits: bool, max_attachment_bytes: int) -> Incoming:
    if not isinstance(doc, dict):
        raise DocError("bad_request", "Document must be a JSON object")
    doc_id = doc.get("_id")
    if doc_id is None and new_edits:
        doc_id = f"{doc.get('type')}:{uuid.uuid4()}"
    _check_id(doc_id)
    doc_type = doc_id.split(":", 1)[0]
    deleted = doc.get("_deleted") is True
    _check_text(doc)
    _check_schema_version(doc_type, doc.get("schema"))
    errors = validate_document(doc if doc.get("_id") == doc_id else {**doc, "_id": doc_id})
    if errors:
        raise DocError("forbidden", f"Invalid document: {describe_errors(errors)}",
                       code="invalid")
    body = {k: v for k, v in doc.items() if k not in _META_FIELDS}
    incoming = Incoming(id=doc_id, type=doc_type, deleted=deleted, body=body)
    _check_revisions(incoming, doc, new_edits)
    _take_attachments(incoming, max_attachment_bytes)
    return incoming


def is_doc_id(doc_id: object) -> bool:
    """True for an id of the form `<type>:<uuid>` (any type; see DOC_ID)."""
    return isinstance(doc_id, str) and DOC_ID.match(doc_id) is not None


def _check_id(doc_id: object) -> None:
    if not isinstance(doc_id, str) or not doc_id:
        raise DocError("bad_request", "Document must have an _id")
    if doc_id.startswith("_design/"):
        raise DocError("forbidden", "Design documents are not served here")
    if doc_id.startswith("_"):
        raise DocError("bad_request", "Only reserved document ids may start with underscore.")
    match = DOC_ID.match(doc_id)
    if match is None or match.group(1) not in SCHEMAS:
        shown = ascii(doc_id[:80])  # never echo control characters or lone surrogates raw
        raise DocError("forbidden", f"Invalid document: _id must be '<type>:<uuid>' (lowercase "
                                    f"UUID) with a known type, not {shown}", code="bad_id")


def _check_text(doc: dict) -> None:
    fault = jsontext.text_fault(doc)
    if fault:
        raise DocError("forbidden", f"Invalid document: {ascii(fault)[1:-1]}", code="invalid")


def _check_schema_version(doc_type: str, version: object) -> None:
    if isinstance(version, int) and not isinstance(version, bool) \
            and version not in SCHEMA_VERSIONS[doc_type]:
        readable = ", ".join(str(v) for v in sorted(SCHEMA_VERSIONS[doc_type]))
        raise DocError("forbidden", f"Invalid document: schema version {version} of "
                                    f"'{doc_type}' is not one this server reads ({readable})",
                       code="schema_version")


def _check_revisions(incoming: Incoming, doc: dict, new_edits: bool) -> None:
    rev = doc.get("_rev")
    try:
        if new_edits:
            if rev is not None:
                revtree.parse_rev(rev)
            incoming.rev = rev
            return
        if rev is None:
            raise DocError("bad_request", "new_edits=false requires _rev on every document")
        revtree.parse_rev(rev)
        revisions = doc.get("_revisions")
        incoming.rev = rev
        incoming.path = [rev] if revisions is None else revtree.path_from_revisions(revisions, rev)
    except revtree.InvalidRevision as exc:
        raise DocError("bad_request", str(exc)) from exc


def _take_attachments(incoming: Incoming, limit: int) -> None:
    """Decode inline attachments into content rows; keep stubs in the body."""
    atts = incoming.body.get("_attachments")
    if atts is None:
        return
    if not isinstance(atts, dict):
        raise DocError("bad_request", "_attachments must be an object")
    stubs = {}
    for name, att in atts.items():
        if not isinstance(att, dict):
            raise DocError("bad_request", f"Attachment {name!r} must be an object")
        if att.get("stub") is True:
            if "content_type" in att:
                check_content_type(name, att["content_type"])
            if not isinstance(att.get("digest"), str):
                raise DocError("bad_request", f"Attachment stub {name!r} has no digest")
            stubs[name] = {k: att[k] for k in ("content_type", "digest", "length", "revpos")
                           if k in att} | {"stub": True}
            continue
        stubs[name] = _decode_attachment(incoming, name, att, limit)
    incoming.body["_attachments"] = stubs


def _decode_attachment(incoming: Incoming, name: str, att: dict, limit: int) -> dict:
    if att.get("follows"):
        raise DocError("bad_request", "Multipart attachments are not supported; send data inline")
    try:
        data = base64.b64decode(att.get("data", ""), validate=True)
    except (binascii.Error, TypeError) as exc:
        raise DocError("bad_request", f"Attachment {name!r} is not valid base64") from exc
    if len(data) > limit:
        raise DocError("forbidden", f"Attachment {name!r} is {len(data)} bytes; the limit is "
                                    f"{limit} bytes", status=413, code="attachment")
    digest = "md5-" + base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
    content_type = check_content_type(name, att.get("content_type", "application/octet-stream"))
    incoming.new_attachments.append(
        {"digest": digest, "content_type": content_type, "length": len(data), "data": data})
    return {"content_type": content_type, "digest": digest, "length": len(data), "stub": True}


def check_content_type(name: str, content_type: object) -> str:
    """The attachment's content type if it is one of ATTACHMENT_TYPES; refused otherwise."""
    if isinstance(content_type, str) and content_type in ATTACHMENT_TYPES:
        return content_type
    allowed = ", ".join(sorted(ATTACHMENT_TYPES))
    raise DocError("forbidden", f"Attachment {ascii(name)[:80]} has content type "
                                f"{ascii(content_type)[:60]}; allowed: {allowed}",
                   code="attachment")

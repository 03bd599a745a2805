"""Ids derived from what a document is about (JS twin: pwa/static/js/derived-ids.js).

Most ids are random (`<type>:<UUIDv7>` made on the device). A Posyandu visit is the exception:
two tablets of one session register the same person offline, and each must make the *same*
document, so that sync sees two edits of one visit (merged field by field) instead of two
visits. Its id is therefore a name-based UUID (RFC 9562 §5.5, version 5) of the session and
the person; the encounter a finished visit becomes is derived from the visit the same way, so
two tablets finishing one person at once write one encounter, not two. Tested against the
shared vectors in tests/vectors/derived_ids.json in both languages.
"""

from __future__ import annotations

import uuid

# Fixed namespaces, one per kind of derived id so two kinds never collide: uuid5 of
# NAMESPACE_URL and "https://siklus.id/ns/posyandu_visit" (resp. "…/posyandu_encounter").
VISIT_NAMESPACE = uuid.UUID("1a0b654f-5646-5aee-b12a-1043018cd2e2")
ENCOUNTER_NAMESPACE = uuid.UUID("5eb9f2f2-c915-5293-a6d2-f7e925a3a03a")


def posyandu_visit_id(session_id: str, person_id: str) -> str:
    """The one `posyandu_visit` of this person at this session."""
    return f"posyandu_visit:{uuid.uuid5(VISIT_NAMESPACE, f'{session_id}|{person_id}')}"


def posyandu_encounter_id(visit_id: str) -> str:
    """The one encounter a finished Posyandu visit becomes."""
    return f"encounter:{uuid.uuid5(ENCOUNTER_NAMESPACE, visit_id)}"

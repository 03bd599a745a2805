"""Everything about each document type, in one table: the home of a type.

For every type: its schema, whether it is a record or a server-authored reference document,
whether it is edited (mutable: `field_ts`) or written once, which roles write it, whether it is
projected into the read model, how its conflicts merge, which date keeps it off devices after the
device window, how the PWA loads it, and the documents it references with the rule each
reference obeys. The code that acts on a type reads it from here: `auth/roles.py` (writers),
`sync/prepare.py` (reference scope), `sync/store.py` and `sync/changes_feed.py` (device window),
`sync/conflicts.py` (mergers), `sync/references.py` (references). `projections/projectors.py`
and the PWA's `records.js` keep their own tables, checked against this one by
tests/store/test_document_types.py, which also fails when a type or a reference field of a
schema is not described here. The rules are documented in docs/documents.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from backend.documents.schemas import SCHEMAS, DocumentSchema, MutableSchema


class Merge(Enum):
    """How the server resolves a conflict between two devices' edits (sync/conflicts.py)."""

    FIELD_TS = "field_ts"          # per field, the latest `field_ts` wins
    TASK_STATUS = "task_status"    # as FIELD_TS, but `status` climbs open < in_progress < done
    WINNER = "winner"              # CouchDB's winner stays; the conflict is listed for admins


class PwaLoad(Enum):
    """When the PWA loads the type into memory (pwa/static/js/records.js)."""

    CORE = "core"        # before the first screen: search works at once
    HISTORY = "history"  # right after, for timelines and due lists
    NONE = "none"        # never held in memory (read on demand or server-only)


@dataclass(frozen=True)
class Reference:
    """A field holding the `_id` of another document, and the rule its target obeys.

    `path` names the field: `a.b` inside an object, `a[]` each item of a list. The target must
    be a live document of type `target`, stored or in the same batch. With `same_desa` it must
    belong to the writing document's desa (a place without a desa, the Puskesmas, belongs to
    every desa); `place_kinds` lists the kinds a referenced place may have."""

    path: str
    target: str
    same_desa: bool = True
    place_kinds: frozenset[str] | None = None


@dataclass(frozen=True)
class DocType:
    name: str
    reference_data: bool              # server-authored, read by every device, scope '*'
    writers: frozenset[str]           # role names (auth/roles.py)
    projected: bool                   # has a projector into the read model
    merge: Merge
    device_window: str | None         # body field dating it for the device window, or None
    pwa_load: PwaLoad
    references: tuple[Reference, ...]

    @property
    def schema(self) -> type[DocumentSchema]:
        return SCHEMAS[self.name]

    @property
    def mutable(self) -> bool:
        """Edited after creation (with `field_ts`); otherwise written once."""
        return issubclass(self.schema, MutableSchema)


_STAFF = frozenset({"pustu", "klaster", "kapus", "admin"})
_COMMUNITY = _STAFF | {"kader"}
_ALL_WRITERS = _COMMUNITY | {"fktp"}
_ADMIN = frozenset({"admin"})


def _place(path: str, *kinds: str, same_desa: bool = True) -> Reference:
    return Reference(path, "place", same_desa, frozenset(kinds))


_TYPES = (
    DocType("household", False, _ALL_WRITERS, True, Merge.FIELD_TS, None, PwaLoad.CORE, (
        _place("posyandu", "posyandu"),
    )),
    DocType("person", False, _ALL_WRITERS, True, Merge.FIELD_TS, None, PwaLoad.CORE, (
        Reference("household", "household"),
        Reference("mother", "person"),
        _place("posyandu", "posyandu"),
        Reference("merged_into", "person"),   # a merged duplicate (docs/review.md)
    )),
    DocType("pregnancy", False, _COMMUNITY, True, Merge.WINNER, None, PwaLoad.HISTORY, (
        Reference("person", "person"),
        Reference("delivery.babies[]", "person"),
    )),
    DocType("encounter", False, _ALL_WRITERS, True, Merge.WINNER, "date", PwaLoad.HISTORY, (
        Reference("person", "person"),
        Reference("pregnancy", "pregnancy"),
        Reference("posyandu_session", "posyandu_session"),
        # Where the visit happened: any place of the Puskesmas, its own building included
        # (a desa-A child weighed at a desa-B Posyandu near the mother's work).
        _place("place", "puskesmas", "pustu", "posyandu", same_desa=False),
        Reference("corrects", "encounter"),
    )),
    DocType("task", False, _STAFF, True, Merge.TASK_STATUS, None, PwaLoad.HISTORY, (
        Reference("person", "person"),
        Reference("origin", "encounter"),
        Reference("pregnancy", "pregnancy"),  # the record a correction task is about
        # The Pustu of the task's desa, or the Puskesmas itself.
        _place("assigned_place", "puskesmas", "pustu"),
    )),
    DocType("posyandu_session", False, _COMMUNITY, True, Merge.WINNER, None, PwaLoad.CORE, (
        _place("posyandu", "posyandu"),
        Reference("attendance[]", "person"),
    )),
    # One person at one session (schemas.PosyanduVisitSchema): edited by every tablet of the
    # session, merged per field. Not projected: the encounter it becomes is the record.
    DocType("posyandu_visit", False, _COMMUNITY, False, Merge.FIELD_TS, "date", PwaLoad.HISTORY, (
        Reference("posyandu_session", "posyandu_session"),
        Reference("person", "person"),
    )),
    # Reminders (docs/push.md): the QR a family scans, and its consent or "Berhenti". The server
    # writes `used_at` and consents from the family page; a tablet revokes. Merged per field.
    DocType("subscription_invite", False, _COMMUNITY, True, Merge.FIELD_TS, None,
            PwaLoad.HISTORY, (
                Reference("household", "household"),
            )),
    DocType("subscription_consent", False, _COMMUNITY, True, Merge.FIELD_TS, None,
            PwaLoad.HISTORY, (
                Reference("household", "household"),
                Reference("person", "person"),
                Reference("invite", "subscription_invite"),
            )),
    # A desa hangs under the Puskesmas; a Pustu under its own desa; a Posyandu under its own
    # desa or the Pustu that supervises it (places/rules.py says which kind under which).
    DocType("place", True, _ADMIN, True, Merge.WINNER, None, PwaLoad.CORE, (
        _place("parent", "puskesmas", "desa", "pustu"),
    )),
    DocType("ilp_config", True, _ADMIN, False, Merge.WINNER, None, PwaLoad.NONE, ()),
)

TYPES: dict[str, DocType] = {t.name: t for t in _TYPES}
REFERENCE_TYPES = frozenset(name for name, t in TYPES.items() if t.reference_data)
# Types dated for the device window: encounters older than ENCOUNTER_WINDOW_MONTHS stay home.
WINDOWED = {name: t.device_window for name, t in TYPES.items() if t.device_window}


def written_by(role: str) -> frozenset[str]:
    """The document types a role may write."""
    return frozenset(name for name, t in TYPES.items() if role in t.writers)

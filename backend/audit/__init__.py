"""The audit trail: who changed what, and who opened which person's record.

Health data is personal data of a specific kind under UU 27/2022 (Pelindungan Data Pribadi):
the Puskesmas must be able to tell who accessed and changed it. Rows are appended in the
caller's transaction (an action and its audit row commit together, or neither does) and are
never updated or deleted by the application. Admin and the Kepala Puskesmas read them.
"""

from __future__ import annotations

from backend.audit.trail import ACTIONS, AuditEntry, entries, record, record_request

__all__ = ["ACTIONS", "AuditEntry", "entries", "record", "record_request"]

"""Codes of the service flow, defined once (docs/flow.md "Data model").

The PWA mirrors them in its catalog (`pwa/static/js/i18n`): a code never reaches a person's eyes.
"""

from __future__ import annotations

# What a service point (a room, a desk) does. A cluster point serves one or more clusters
# (a small Puskesmas shares a room); registration, lab, pharmacy and emergency are the
# supporting services of seed 000 "Alur Pelayanan" (lab, pharmacy and emergency are Lintas
# Klaster).
POINT_KINDS = ("registration", "cluster", "lab", "pharmacy", "emergency")

# A staff member's place in a cluster (seed 000: "minimal terdiri atas PJ dan anggota").
POSITIONS = ("pj", "anggota")

# A queue entry's life: waiting -> called -> in_service -> done; called may become skipped (a
# no-show, who may be recalled: skipped -> called); waiting, called or in_service may end as
# transferred (a new entry opens in the next queue) or cancelled (the person left).
ENTRY_STATUSES = ("waiting", "called", "in_service", "done", "skipped", "transferred",
                  "cancelled")
ACTIVE_STATUSES = ("waiting", "called", "in_service")
ENDED_STATUSES = ("done", "transferred", "cancelled")

# Queue order: emergency first, then the priority groups of config/ilp/routing.json (lansia,
# disabilitas, ibu hamil), then everyone else; first come first served within a rank.
PRIORITIES = ("emergency", "priority", "normal")
PRIORITY_RANK = {name: rank for rank, name in enumerate(PRIORITIES)}

PAYERS = ("jkn", "umum")

# A ticket: the service point's prefix and the day's number, e.g. B-012.
TICKET_PREFIX = r"^[A-Z]{1,3}$"


def ticket_label(prefix: str, number: int) -> str:
    return f"{prefix}-{number:03d}"

"""The rule families, in the order the scheduler runs them (one module each, the way the
Community Health Toolkit keeps one file per transition). A rule in config/ilp/reminders.json
names its family; backend/clinical/reminder_rules.py refuses a family not listed here."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from backend.reminders import due_items, posyandu, refused, staff_tasks
from backend.reminders.context import Context
from backend.reminders.model import Reminder

Family = Callable[[Context, dict], Iterable[Reminder]]

FAMILIES: dict[str, Family] = {
    "due_items": due_items.reminders,
    "posyandu": posyandu.reminders,
    "staff_tasks": staff_tasks.reminders,
    "refused": refused.reminders,
}


def rules(config: dict) -> list[tuple[dict, Family]]:
    """Every rule of reminders.json with its family's function, families in registry order
    and rules in file order within a family."""
    order = list(FAMILIES)
    listed = sorted(enumerate(config["reminders"]["rules"]),
                    key=lambda pair: (order.index(pair[1]["family"]), pair[0]))
    return [(rule, FAMILIES[rule["family"]]) for _, rule in listed]

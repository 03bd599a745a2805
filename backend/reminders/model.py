"""What a rule family answers: reminders, before they are addressed to subscriptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reminder:
    """One message a rule wants to send to one recipient (a household or a staff member).

    `subject` and `window` make the idempotency key with the rule and the subscription:
    the person (or household, or user) and the date it is about plus the offset. It may be
    sent from `remind_on` (local date) and stops being true after `last_day` (local date)."""

    rule: dict
    subject: str
    window: str
    remind_on: dt.date
    last_day: dt.date
    values: dict[str, str]
    url: str
    household_id: str | None = None
    username: str | None = None
    topic_subject: str = ""
    extra: dict = field(default_factory=dict)

"""Query values bounded to what the product can mean, so arithmetic on them cannot overflow.

`?page=<20 digits>` became an OFFSET beyond 64 bits, and `?date=9999-12-31` a due list whose
windows (`date + P5Y`) pass the year 9999 that Python's `date` ends at: both crashed with 500.
"""

from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError, fields, validate

from backend import clock

# A list of 200 per page never has a millionth page; anything larger is a probe.
MAX_PAGE = 1_000_000
# Row ids are 64-bit integers in the database: a larger one in a query would overflow there.
MAX_ROW_ID = 2**63 - 1
# A date a due list or a report is asked for: the oldest person alive, at most a few years on.
YEARS_BACK, YEARS_AHEAD = 150, 10


def page_number() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))


class NearDate(fields.Date):
    """An ISO date within YEARS_BACK before and YEARS_AHEAD after the Puskesmas's today."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.date:
        day = super()._deserialize(value, attr, data, **kwargs)
        today = clock.today()
        if not today.year - YEARS_BACK <= day.year <= today.year + YEARS_AHEAD:
            raise ValidationError(f"must lie between {today.year - YEARS_BACK} and "
                                  f"{today.year + YEARS_AHEAD}")
        return day

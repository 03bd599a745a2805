"""Which growth values a prevalence leaves out: those still in doubt (docs/review.md "PWS
honesty").

A height typed 17 instead of 71 makes a well-grown child "sangat pendek": one such slip in a
desa of forty measured balita adds 2.5 points to its stunting prevalence. WHO and UNICEF
(2019, anthropometric indicators in children under 5) leave implausible values out of
prevalence estimates; here a growth point whose encounter carries an open flag of a rule
marked `pws_exclude` (config/ilp/quality.json) counts in neither the numerator nor the
denominator of a prevalence indicator until a reviewer resolves the flag (benar, tidak
relevan: `backend.review.state`). Coverage indicators (D/S, N/D, BGM) still count it: the
child was weighed, whatever the scale said. pws.json `flagged_values.exclude` switches it off
(the catalogue's `flagged_rules` is then empty).
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.projections.tables import growth_points, quality_flags
from backend.pws.catalogue import Catalogue, Indicator
from backend.review.state import flag_open


def leaves_out(cat: Catalogue, indicator: Indicator) -> bool:
    """Whether the indicator counts only growth values free of open flags."""
    return bool(cat.flagged_rules) and indicator.period == "prevalence"


def in_doubt(cat: Catalogue, points: sa.Table | sa.Alias = growth_points) -> sa.ColumnElement:
    """The growth point of `points` (the table or an alias) has an encounter with an open
    flag of an excluding rule."""
    flags = quality_flags.alias("excluding_flags")
    return sa.exists().where(flags.c.doc_id == points.c.encounter_id,
                             flags.c.rule.in_(list(cat.flagged_rules)), flag_open(flags))


def trusted(cat: Catalogue, points: sa.Table | sa.Alias = growth_points) -> sa.ColumnElement:
    """The negation of `in_doubt`: a growth value a prevalence may count."""
    if not cat.flagged_rules:
        return sa.true()
    return ~in_doubt(cat, points)

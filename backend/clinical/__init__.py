"""Clinical knowledge evaluator (server side): life stage, due lists, growth z-scores,
instrument scores and classifications, all pure functions of (config, inputs).

The rules are data in config/ilp; `pwa/static/js/clinical/` is the JavaScript twin and the
shared vectors in tests/vectors keep the two identical. See docs/clinical-rules.md."""

from backend.clinical.classifiers import (
                                          classify_bmi,
                                          classify_bp,
                                          classify_fever,
                                          classify_glucose,
                                          classify_hb,
                                          classify_muac,
                                          classify_waist,
)
from backend.clinical.config import default_config, load_config
from backend.clinical.due import due_list
from backend.clinical.errors import ClinicalInputError
from backend.clinical.findings import encounter_findings, follow_ups
from backend.clinical.growth import growth_zscores
from backend.clinical.growth_trend import weight_trend
from backend.clinical.instruments import score_instrument
from backend.clinical.kpsp import kpsp_form
from backend.clinical.lifestage import life_stage
from backend.clinical.past_doses import past_doses
from backend.clinical.pispk import family_health_index
from backend.clinical.pregnancy import pregnancy_dating
from backend.clinical.quality import entry_warnings, quality_flags
from backend.clinical.routing import route

__all__ = [
    "ClinicalInputError", "classify_bmi", "classify_bp", "classify_fever", "classify_glucose",
    "classify_hb", "classify_muac", "classify_waist", "default_config", "due_list",
    "encounter_findings", "entry_warnings", "family_health_index", "follow_ups",
    "growth_zscores", "kpsp_form", "life_stage", "load_config", "past_doses",
    "pregnancy_dating", "quality_flags", "route", "score_instrument", "weight_trend",
]

"""The one error the clinical evaluators raise: impossible input, named by field (JS: errors.js)."""

from __future__ import annotations


class ClinicalInputError(ValueError):
    """Input that no real person can have; never turned into a classification."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

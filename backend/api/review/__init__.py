# ruff: noqa: I001 (one import line per route module, so siblings add theirs without merges)
"""Review of synced records under /api/v1/review (docs/review.md): one blueprint, one module
per part. Every view checks role and area through backend/api/review/scope.py."""

from __future__ import annotations

from backend.api.review.blueprint import blp  # noqa: F401  (registered by backend/api)

# Route modules register on `blp` when imported (one line per module; siblings add theirs).
from backend.api.review import queue  # noqa: F401
from backend.api.review import decisions  # noqa: F401
from backend.api.review import progress  # noqa: F401
from backend.api.review import duplicates  # noqa: F401
from backend.api.review import merges  # noqa: F401

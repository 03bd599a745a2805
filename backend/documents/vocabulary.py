"""Codes shared by the documents, the accounts and the API, defined once (docs/domain.md §1, §9).

The document schemas, the user accounts (`backend.auth`), the REST schemas and the demo
import these; the PWA mirrors them in its catalog (`pwa/static/js/i18n`).
"""

from __future__ import annotations

# The Puskesmas's clusters (Kepmenkes HK.01.07/MENKES/2015/2023): klaster 1-4 and lintas klaster.
CLUSTERS = ("1", "2", "3", "4", "lintas")

# The network of places, from the top: the Puskesmas (its kecamatan), a desa or kelurahan,
# the desa's Pustu, and its Posyandu (docs/invariants.md §1).
PLACE_KINDS = ("puskesmas", "desa", "pustu", "posyandu")

# Kemendagri codes: 6 digits for a kecamatan (the Puskesmas's place), 10 for a desa/kelurahan,
# stored without the dots of the printed form (32.17.17.2001).
DESA_CODE = r"^\d{10}$"
PLACE_CODE = r"^\d{6}(\d{4})?$"

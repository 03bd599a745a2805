"""CouchDB replication endpoints under /sync: the subset PouchDB 9 uses (see docs/sync.md).

Importing the route modules registers their views on the one blueprint.
"""

from backend.sync.http import changes, local, routes_admin, routes_db, routes_docs  # noqa: F401
from backend.sync.http.blueprint import bp

__all__ = ["bp"]

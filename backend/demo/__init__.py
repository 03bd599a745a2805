"""A realistic, deterministic demo Puskesmas: places, families, two years of ILP records and a
login for every role. See docs/demo.md.

`generate_documents` is pure (no database); `seed` writes its output through the sync write
path and creates the demo users; `demo_users` lists the logins.
"""

from backend.demo.generate import generate_documents
from backend.demo.loader import seed
from backend.demo.staff import DEMO_PASSWORD, demo_users

__all__ = ["DEMO_PASSWORD", "demo_users", "generate_documents", "seed"]

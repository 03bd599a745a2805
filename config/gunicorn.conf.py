"""gunicorn settings for `make run` (embedded mode). Production overrides bind and workers.

Threads, not more processes: longpoll `_changes` requests hold a thread while they wait, and
SQLite prefers few writer processes.
"""

import gc
import os

bind = os.environ.get("SIKLUS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIKLUS_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("SIKLUS_THREADS", "16"))
timeout = 120
graceful_timeout = 30
accesslog = "-"
# gunicorn 25+ opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl):
# two instances on one machine (a test's server beside `make run`, two Puskesmas on one host)
# would take it from each other. Siklus does not use `gunicornc`.
control_socket_disable = True


def post_worker_init(worker):
    """The app is loaded: take what it allocated at startup (SQLAlchemy, marshmallow,
    flask-smorest, the clinical config: ~110,000 objects) out of the cyclic collector's sight,
    so full collections stop walking them. Measured over 120 `_bulk_docs` requests of a push:
    90 -> 41 ms spent collecting. Frozen objects are still freed by reference counting."""
    gc.freeze()

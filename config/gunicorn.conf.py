"""gunicorn settings for `make run` (embedded mode). Production overrides bind and workers.

Threads, not more processes: longpoll `_changes` requests hold a thread while they wait, and
SQLite prefers few writer processes.
"""

import os

bind = os.environ.get("SIKLUS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIKLUS_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("SIKLUS_THREADS", "16"))
timeout = 120
graceful_timeout = 30
accesslog = "-"

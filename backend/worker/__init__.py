"""The worker process (`flask --app backend worker`, docs/push.md "Operations"): a registry of
periodic jobs — the reminder scheduler, the push sender, pending conflict resolution, upstream
sync when configured — each with its last run and failure recorded in `worker_jobs`."""

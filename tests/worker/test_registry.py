"""The job registry (backend/worker/jobs.py): order, intervals, the upstream job's condition."""

from __future__ import annotations

import pytest

from backend.settings import DEFAULTS
from backend.worker import jobs


def intervals(config: dict) -> dict[str, float]:
    return {job.name: job.interval(config) for job in jobs.registry(config)}


def test_jobs_run_in_registry_order_with_their_intervals():
    config = dict(DEFAULTS, UPSTREAM_URL="https://hub.example/siklus", UPSTREAM_SYNC_MINUTES=7)
    assert [job.name for job in jobs.registry(config)] == list(jobs.NAMES)
    assert intervals(config) == {"reminders": jobs.REMINDERS_SECONDS, "push": 0, "prune": 86400,
                                 "conflicts": jobs.CONFLICTS_SECONDS, "upstream": 7 * 60}


def test_upstream_job_runs_only_when_an_upstream_url_is_set():
    assert "upstream" not in intervals(dict(DEFAULTS))
    with pytest.raises(jobs.UnknownJob, match="UPSTREAM_URL"):
        jobs.registry(dict(DEFAULTS), only=["upstream"])


def test_only_selects_jobs_and_refuses_unknown_names():
    assert [j.name for j in jobs.registry(dict(DEFAULTS), only=["conflicts"])] == ["conflicts"]
    with pytest.raises(jobs.UnknownJob, match=r"sender.*the jobs are"):
        jobs.registry(dict(DEFAULTS), only=["conflicts", "sender"])

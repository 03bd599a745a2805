"""`flask --app backend worker`: the periodic jobs of docs/push.md "Operations"."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import current_app

from backend.push.vapid import VapidConfigError
from backend.worker import jobs
from backend.worker.lease import LeaseHeld
from backend.worker.loop import Worker, log

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@click.command("worker")
@click.option("--once", is_flag=True,
              help="Run every job that is due once, then exit (tests, cron).")
@click.option("--only", "only", multiple=True, metavar="NAME",
              help=f"Run only this job (repeatable): {', '.join(jobs.NAMES)}.")
def worker_command(once: bool, only: tuple[str, ...]) -> None:
    """Run the reminder scheduler, the push sender and the other periodic jobs."""
    _log_to_stderr()
    app = current_app._get_current_object()
    try:
        selected = jobs.registry(app.config, only)
    except jobs.UnknownJob as exc:
        raise click.BadParameter(str(exc), param_hint="--only") from exc
    try:
        jobs.check(app, selected)
    except VapidConfigError as exc:
        raise click.ClickException(f"cannot send web push: {exc}") from exc
    worker = Worker(app, selected)
    try:
        with stop_on_signals(worker.stop):
            worker.run(once=once)
    except LeaseHeld as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGTERM (systemd, honcho) and SIGINT (Ctrl+C) ask the worker to stop after the job
    that runs now; a job is never cut in half. The previous handlers come back afterwards."""
    def handler(signum: int, _frame) -> None:
        log.info("%s received: stopping after the current job", signal.Signals(signum).name)
        stop()

    previous = {sig: signal.signal(sig, handler) for sig in _STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _log_to_stderr() -> None:
    """One line per job run. The app configures no logging of its own (gunicorn does for the
    web process); a root handler set up by the caller (pytest, a service) is kept."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)


COMMANDS = (worker_command,)

"""Write the demo into the app's database through the one write path, then create the logins."""

from __future__ import annotations

import datetime as dt
import time

import sqlalchemy as sa

from backend import clock
from backend.auth.passwords import hash_password
from backend.auth.users import create_user, get_user
from backend.clinical_config import ilp_config
from backend.db import read_transaction, write_transaction
from backend.demo import flow as demo_flow
from backend.demo import quality as demo_quality
from backend.demo import sasaran as demo_sasaran
from backend.demo.common import add_months
from backend.demo.followup import close_old_followups
from backend.demo.generate import RECORD_MONTHS, generate_documents
from backend.demo.staff import demo_users
from backend.demo.summary import report
from backend.pws.months import Month
from backend.writes import write_docs

BATCH_SIZE = 500    # the device batch size of docs/invariants.md §4


class DemoLoadError(RuntimeError):
    """The demo cannot load: its logins exist, or the store refused a document (then the
    generator and the schemas disagree, and the refused batch is rolled back)."""


def seed(scale: float = 1.0, seed: int = 1, today: dt.date | None = None) -> str:
    """Load the demo (needs an app context and an empty database); returns the report.
    `today` is the last day of records (default: the system date; tests fix it)."""
    started, today = time.perf_counter(), today or dt.date.today()
    docs = generate_documents(scale=scale, seed=seed, today=today)
    slips = demo_quality.plant(docs, seed)   # the typing slips the review should find
    places = [doc for doc in docs if doc["type"] == "place"]
    records = [doc for doc in docs if doc["type"] != "place"]
    users = demo_users([doc["code"] for doc in places if doc["kind"] == "desa"])
    _check_usernames_free(users)
    # Places first and on their own: the store only accepts records of desa it knows.
    _write(places)
    for begin in range(0, len(records), BATCH_SIZE):
        _write(records[begin:begin + BATCH_SIZE])
    # The server derived follow-up tasks from the findings as they landed; close the old ones.
    with write_transaction() as conn:
        close_old_followups(conn, today, seed)
    # The Dinkes's official targets of last year and this one, through the CSV import.
    with write_transaction() as conn:
        imported = demo_sasaran.load(conn, Month.of(today), seed)
    with write_transaction() as conn:
        _create_users(conn, users)
    # The service flow: rooms, who is in which cluster, and duty on the Puskesmas's today
    # (the day the demo is opened, whatever the records' last day).
    with write_transaction() as conn:
        flow_line = demo_flow.set_up(conn, ilp_config(), clock.today())
    text = report(docs, users, seed=seed, scale=scale,
                  first=add_months(today, -RECORD_MONTHS).isoformat(), last=today.isoformat(),
                  seconds=time.perf_counter() - started)
    figures = sum(result.figures for result in imported)
    years = ", ".join(str(year) for result in imported for year in result.years)
    return (f"{text}\n\n{flow_line}\nSasaran resmi (PWS): {figures} angka, tahun {years}.\n"
            f"Kesalahan ketik yang sengaja ditanam untuk Tinjauan: {len(slips)} catatan "
            f"(backend/demo/quality.py).")


def _check_usernames_free(users: list[dict]) -> None:
    """Fail before writing anything rather than after 40,000 documents."""
    with read_transaction() as conn:
        taken = [u["username"] for u in users if get_user(conn, username=u["username"])]
    if taken:
        raise DemoLoadError(f"demo logins already exist: {', '.join(taken)}")


def _write(batch: list[dict]) -> None:
    with write_transaction() as conn:
        results = write_docs(conn, batch, None)
        refused = next((r for r in results if not r.get("ok")), None)
        if refused:  # raising inside the transaction rolls the whole batch back
            raise DemoLoadError(f"demo document {refused['id']} refused: "
                                f"{refused['error']}: {refused['reason']}")


def _create_users(conn: sa.Connection, users: list[dict]) -> None:
    hashes: dict[str, str] = {}  # every demo account shares one password: hash it once
    for user in users:
        password = user["password"]
        hashes.setdefault(password, hash_password(password))
        create_user(conn, username=user["username"], password=password,
                    display_name=user["display_name"], role=user["role"],
                    scopes=user["scopes"], cluster=user["cluster"],
                    password_hash=hashes[password])

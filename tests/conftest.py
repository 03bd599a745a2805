"""Fixtures: the app on SQLite and on PostgreSQL, clients, logins and a small two-desa world.

Every test that takes `app` runs once per database. PostgreSQL runs when TEST_DATABASE_URL
names a server (CI sets it) and is reported as skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from hypothesis import HealthCheck, settings
from werkzeug.routing import rules

from backend import create_app, pwa
from backend.auth import passwords
from backend.clock import DEFAULT_TIMEZONE
from backend.db import make_engine, metadata, write_transaction
from backend.migrate import upgrade
from backend.pwa import shell
from tests import factories
from tests.pg import own_schema

# The test process, and the browsers and Node processes it starts, live in the Puskesmas's
# default zone: a test's "today" (`dt.date.today()`, a browser's `new Date()`) is then the
# server's `backend.clock.today()` at every hour. In UTC the two differ from 17:00 to
# midnight, and tests of day boundaries (the 90-day follow-up horizon) failed every evening.
# tests/foundation/test_clock.py freezes the clock's UTC source to test the other zones.
os.environ["TZ"] = DEFAULT_TIMEZONE
time.tzset()

# Property tests must not depend on the machine's speed: no per-example deadline, and no
# health check that fails a run because generating examples was slow on a busy machine.
settings.register_profile("siklus", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("siklus")


DEMO_FIXTURES = {"demo_app", "sqlite_demo", "pg_demo"}


@pytest.hookimpl(tryfirst=True)   # before xdist's own hook reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups for `make test`'s parallel run (pytest-xdist, `--dist loadgroup`): the tests of a
    group run on one worker, in file order. Without a group a test goes to any worker.

    * every test using the seeded demo (one group): a worker seeds it once per database (about
      25 s), so only one worker should pay for it;
    * the tests of one module that share a module- or class-scoped fixture: set up once;
    * each end-to-end module: its tests share the session's server and database and may build
      on one another's records within the module (they never rely on another module's).
    Every worker is a process of its own with its own session fixtures (README, "Two commands":
    what a test must respect to run beside others)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & DEMO_FIXTURES:
            item.add_marker(pytest.mark.xdist_group("demo"))
            continue
        info = getattr(item, "_fixtureinfo", None)
        scoped = info is not None and any(
            d.scope in ("module", "class") for defs in info.name2fixturedefs.values() for d in defs)
        if scoped or item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """argon2-cffi's CHEAPEST profile (meant for tests): the world fixture hashes 8 passwords
    per test. test_passwords.py checks the production profile separately."""
    production = passwords._hasher
    passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    passwords._hasher = production


@pytest.fixture(autouse=True, scope="session")
def one_shell_build():
    """Every app of the session shares one build of the PWA shell (a digest of some 150 files,
    14 ms per app): the files do not change while the tests run. test_shell_version.py builds
    it itself from changed copies; test_shell.py swaps an app's shell for a new version."""
    built = pwa.build_shell()
    pwa.build_shell = lambda: built
    yield
    pwa.build_shell = shell.build_shell


@pytest.fixture(autouse=True, scope="session")
def one_url_builder_per_rule():
    """Every app of the session shares werkzeug's URL builder of each rule. `create_app` binds
    some 90 rules, and werkzeug generates each rule's builder as Python source (an AST,
    compiled): 60 of the 100 ms of CPU a test's app cost. The builder is a function of what the
    key holds (the rule's parts, its defaults, whether unknown arguments are appended) and
    reads the rule's converters through `self` when called, so a rule of another app gets the
    same function werkzeug would have generated for it."""
    generate = rules.Rule._compile_builder
    built: dict[tuple, object] = {}

    def shared(self, append_unknown=True):
        key = (self.rule, tuple(self._trace), append_unknown,
               tuple((name, repr(value)) for name, value in sorted((self.defaults or {}).items())))
        if key not in built:
            built[key] = generate(self, append_unknown)
        return built[key]

    rules.Rule._compile_builder = shared
    yield
    rules.Rule._compile_builder = generate


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "siklus.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def pg_url() -> str:
    with own_schema("siklus_test") as url:
        yield url


@pytest.fixture(scope="session")
def pg_engine(pg_url):
    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    engine.dispose()


_reset_scripts: dict[sa.Engine, str] = {}


def _reset_pg(engine: sa.Engine) -> None:
    """Empty every table and restart its ids. DELETE, not TRUNCATE: on the handful of rows a
    test leaves, TRUNCATE's per-table file work costs ten times more, and it runs per test.
    One script in one round trip, not 70 statements: on a busy machine every round trip waits
    for the server process to be scheduled, and the 70 cost 0.3-1 s a test (now 20-50 ms)."""
    if engine not in _reset_scripts:
        with engine.connect() as conn:
            sequences = conn.execute(sa.text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()")).scalars().all()
        _reset_scripts[engine] = "; ".join(
            [f"DELETE FROM {t.name}" for t in reversed(metadata.sorted_tables)
             if t.name != "sync_meta"]
            + [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
            + ["UPDATE sync_meta SET update_seq = 0, doc_count = 0, doc_del_count = 0"])
    with engine.begin() as conn:
        conn.exec_driver_sql(_reset_scripts[engine])


def _database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "siklus.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    _reset_pg(request.getfixturevalue("pg_engine"))
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path, monkeypatch):
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": _database_url(request, tmp_path)})
    with app.app_context():
        yield app
    app.extensions["siklus.engine"].dispose()


# The demo the write-path tests of the seeded demo read (scale 0.125, seed 5: one desa, its
# last day of records fixed): seeded once per database and per session, copied into each
# test's database. Seeding it cost 5-8 s a test.
DEMO_SCALE, DEMO_SEED, DEMO_DAY = 0.125, 5, dt.date(2026, 8, 20)


def _seed_demo(url: str, instance: str) -> str:
    """Seed the demo into the database at `url`; returns the seed's report."""
    from backend.demo import seed  # noqa: PLC0415 (the demo generator: only when asked for)

    patch = pytest.MonkeyPatch()
    patch.setenv("SIKLUS_INSTANCE_PATH", instance)
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": url})
        with app.app_context():
            report = seed(scale=DEMO_SCALE, seed=DEMO_SEED, today=DEMO_DAY)
        app.extensions["siklus.engine"].dispose()
    finally:
        patch.undo()
    return report


def _sqlite_snapshot(source: str, target: str) -> None:
    """Copy every committed transaction of the SQLite file `source` into `target` through
    SQLite's backup API, write-ahead log included. (A file copy took the main file only: the
    app's background checkpointer (backend/wal_checkpoint.py) could hold the log when the
    seed asked for a checkpoint, and a copy then lacked the last batches, one planted slip's
    flag among them.)"""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory, sqlite_template) -> tuple[str, str]:
    """(a migrated SQLite file holding the seeded demo, the seed's report)."""
    base = tmp_path_factory.mktemp("demo")
    shutil.copy(sqlite_template, base / "seeding.db")
    report = _seed_demo(f"sqlite:///{base / 'seeding.db'}", str(base / "instance"))
    _sqlite_snapshot(str(base / "seeding.db"), str(base / "siklus.db"))
    return str(base / "siklus.db"), report


@pytest.fixture(scope="session")
def pg_demo(pg_engine, tmp_path_factory) -> tuple[str, str]:
    """(a PostgreSQL schema of this process's own holding the seeded demo, the report)."""
    with own_schema("siklus_demo") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        report = _seed_demo(url, str(tmp_path_factory.mktemp("pg-demo") / "instance"))
        yield f"siklus_demo_{os.getpid()}", report


def _copy_pg(engine: sa.Engine, source: str) -> None:
    """Fill the (emptied) test schema with every row and sequence value of schema `source`,
    in one round trip (see `_reset_pg`)."""
    with engine.connect() as conn:
        sequences = conn.execute(sa.text(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = current_schema()")).scalars().all()
    script = ["DELETE FROM sync_meta"] + [
        f"INSERT INTO {table.name} SELECT * FROM {source}.{table.name}"
        for table in metadata.sorted_tables] + [
        f"SELECT setval('\"{sequence}\"', last_value, is_called) FROM {source}.\"{sequence}\""
        for sequence in sequences]
    with engine.begin() as conn:
        conn.exec_driver_sql("; ".join(script))


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_app(request, tmp_path, monkeypatch):
    """The app (on each database, like `app`) holding the demo of DEMO_SCALE, DEMO_SEED and
    DEMO_DAY as `backend.demo.seed` leaves it (its report in extensions["demo.report"]): a
    copy of one seeded per session, so tests may write to it."""
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path / "instance"))
    if request.param == "sqlite":
        source, report = request.getfixturevalue("sqlite_demo")
        path = tmp_path / "siklus.db"
        shutil.copy(source, path)
        url = f"sqlite:///{path}"
    else:
        source, report = request.getfixturevalue("pg_demo")
        engine = request.getfixturevalue("pg_engine")
        _reset_pg(engine)
        _copy_pg(engine, source)
        url = request.getfixturevalue("pg_url")
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    app.extensions["demo.report"] = report
    with app.app_context():
        yield app
    app.extensions["siklus.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app) -> factories.World:
    """Two desa of one Puskesmas with places and a user of every role (see factories)."""
    with write_transaction() as conn:
        return factories.build_world(conn)


class Login:
    """A test client logged in as one user; sends the CSRF header on writes."""

    def __init__(self, app, username: str, password: str = factories.PASSWORD):
        self.client = app.test_client()
        response = self.client.post("/api/v1/auth/login",
                                    json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        self.me = response.json
        self.headers = {"X-CSRF-Token": self.me["csrf_token"]}

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self.headers, **kw)

    def patch(self, url, **kw):
        return self.client.patch(url, headers=self.headers, **kw)

    def put(self, url, **kw):
        return self.client.put(url, headers=self.headers, **kw)


@pytest.fixture
def login(app, world):
    return lambda username: Login(app, username)

"""Every Siklus setting in one table: name, default and what it does.

Load order (later wins): the defaults below, `config/siklus.json`, `instance/siklus.json`,
environment variables `SIKLUS_<NAME>`, then the `test_config` passed to `create_app`.
`docs/settings.md` lists the same table; a test fails when the two drift apart.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL. Default: SQLite file `instance/siklus.db` (embedded mode)."),
    Setting("SQLITE_CACHE_MB", 64,
            "SQLite page cache per connection, in MiB (embedded mode)."),
    Setting("SQLITE_MMAP_MB", 256,
            "SQLite memory-mapped I/O size, in MiB (embedded mode; 0 turns it off)."),
    Setting("SQLITE_CHECKPOINT_SECONDS", 1.0,
            "Embedded mode: after a commit, a background thread checkpoints the write-ahead "
            "log into the database, at most this often per process (0: no thread; only the "
            "backstop below then)."),
    Setting("SQLITE_WAL_AUTOCHECKPOINT_PAGES", 16384,
            "Backstop: a commit that finds the write-ahead log longer than this many pages "
            "checkpoints it itself (SQLite's wal_autocheckpoint)."),
    Setting("SYNC_DB_NAME", "siklus",
            "Name of the replicated database served under /sync/<name>."),
    Setting("REVS_LIMIT", 1000,
            "Revisions kept per document path before older ancestors are stemmed."),
    Setting("MAX_CONTENT_LENGTH", 16 * 1024 * 1024,
            "Largest accepted request body in bytes (413 beyond it)."),
    Setting("MAX_ATTACHMENT_BYTES", 2 * 1024 * 1024,
            "Largest accepted attachment (decoded) in bytes (413 beyond it)."),
    Setting("SASARAN_MAX_BYTES", 2 * 1024 * 1024,
            "Largest accepted sasaran CSV (PWS official targets) in bytes (413 beyond it)."),
    Setting("DEVICE_ENCOUNTER_WINDOW_MONTHS", 24,
            "Encounters older than this many months are not replicated to devices."),
    Setting("FOLLOWUP_HORIZON_DAYS", 90,
            "On write, only visits dated within this many days derive follow-up tasks; older "
            "ones through `flask derive-followup --since` (docs/followup.md)."),
    Setting("REVIEW_CORRECTION_DUE_DAYS", 7,
            "A correction the Puskesmas review sends to a Pustu is due this many days after "
            "the reviewer asked for it (docs/review.md)."),
    Setting("MERGE_UNDO_DAYS", 30,
            "A merge of two duplicate persons can be undone within this many days "
            "(docs/review.md, \"Merging and undo\")."),
    Setting("CHANGES_MAX_LIMIT", 1000,
            "Upper bound on `limit` for one _changes response."),
    Setting("LONGPOLL_TIMEOUT_MS", 60000,
            "Longest a longpoll _changes request waits for a change."),
    Setting("LONGPOLL_POLL_MS", 200,
            "How often a waiting longpoll re-reads the update sequence (writes made in the "
            "same process wake it at once)."),
    Setting("JSON_MAX_DEPTH", 64,
            "Deepest nesting of arrays and objects accepted in a JSON request body (400 "
            "beyond it); documents of this product nest fewer than 10 levels."),
    Setting("BULK_MAX_DOCS", 5000,
            "Most documents in one _bulk_docs, _bulk_get or _revs_diff request (413 beyond it)."),
    Setting("RESOLVE_CONFLICTS_ON_WRITE", True,
            "Merge person/household/task conflicts right after a replicated batch creates them."),
    Setting("SESSION_COOKIE_NAME", "siklus_session", "Name of the login session cookie."),
    Setting("SESSION_LIFETIME_HOURS", 24 * 14,
            "How long a login session lasts without activity."),
    Setting("TRUSTED_PROXY_COUNT", 0,
            "Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed "
            "(werkzeug ProxyFix). 0: clients connect directly and those headers are ignored; "
            "1 behind one nginx. Set it wrong and login limits count the proxy, or a client "
            "can spoof its address."),
    Setting("LOGIN_RATE_LIMIT", 5,
            "Failed logins allowed for one account from one client address within the window."),
    Setting("LOGIN_ADDRESS_LIMIT", 30,
            "Failed logins allowed from one client address over all accounts within the window."),
    Setting("LOGIN_ACCOUNT_LIMIT", 20,
            "Failed logins allowed for one account from all addresses within the window."),
    Setting("LOGIN_RATE_WINDOW_SECONDS", 300,
            "Sliding window of the login limits: a lock-out lifts as soon as enough failures "
            "are older than this."),
    Setting("BASIC_AUTH_CACHE_SECONDS", 60,
            "How long an unused, verified HTTP Basic credential stays remembered in-process "
            "(the KDF is slow). A password change ends it at once in every worker."),
    Setting("PAGE_SIZE_DEFAULT", 25, "Default page size of paginated API lists."),
    Setting("PAGE_SIZE_MAX", 200, "Largest page size a client may ask for."),
    Setting("SECRET_KEY", None,
            "Signing key. Generated into instance/secrets.json on first run when unset."),
    Setting("VAPID_PRIVATE_KEY", None,
            "Web-push VAPID private key (PEM). Generated into instance/ on first run when unset."),
    Setting("VAPID_PUBLIC_KEY", None, "Web-push VAPID public key (base64url, uncompressed point)."),
    Setting("VAPID_SUBJECT", "mailto:admin@siklus.invalid",
            "Contact sent in the VAPID JWT `sub` claim: a `mailto:` address or an https URL "
            "where push services can reach the Puskesmas; a `localhost` one is refused "
            "(Apple's push service rejects it)."),
    Setting("PUSH_WINDOW_START", "07:00",
            "Start of the daily window (local time, TIMEZONE) in which reminders are sent."),
    Setting("PUSH_WINDOW_END", "20:00",
            "End of the sending window: a reminder computed outside the window (at 22:00) waits "
            "until it opens."),
    Setting("PUSH_HOUSEHOLD_DAILY_CAP", 2,
            "Most reminders one household receives in a day; the rest wait for the next day."),
    Setting("PUSH_MAX_ATTEMPTS", 5,
            "Tries of one message when the push service answers 429 or 5xx or does not answer, "
            "before it is marked failed."),
    Setting("PUSH_RETRY_SECONDS", 60,
            "First back-off after a 429/5xx without Retry-After; doubles at each try."),
    Setting("PUSH_TIMEOUT_SECONDS", 10.0,
            "How long the sender waits for a push service to answer one message."),
    Setting("PUSH_CONCURRENCY", 32,
            "Messages the sender delivers at the same time."),
    Setting("PUSH_ALLOW_PRIVATE_ENDPOINTS", False,
            "Accept push subscriptions whose endpoint is on a private or loopback address. "
            "Never in production (it lets a device make the server call its own network); the "
            "tests' local push service needs it."),
    Setting("PUSH_CA_BUNDLE", None,
            "CA certificates the sender trusts for push services (PEM file). Default: the "
            "system's; the tests point it at their local push service's certificate."),
    Setting("PUSH_OUTBOX_RETENTION_DAYS", 90,
            "Outbox rows sent, failed, dropped or expired longer ago than this are pruned."),
    Setting("PUSH_INVITE_DAYS", 30,
            "A family's QR invite expires this many days after the kader or bidan showed it."),
    Setting("WORKER_TICK_SECONDS", 5.0,
            "How often the worker wakes to run the jobs that are due (docs/push.md)."),
    Setting("WORKER_LEASE_SECONDS", 60,
            "A worker that has not renewed its lease for this long is taken for dead; on SQLite "
            "a second worker refuses to start while a live lease is held."),
    Setting("UPSTREAM_URL", None,
            "Upstream Apache CouchDB database URL (credentials in the URL) the worker replicates "
            "with, both ways, like `flask upstream-sync URL`; unset: no upstream job."),
    Setting("UPSTREAM_SYNC_MINUTES", 15,
            "How often the worker replicates with UPSTREAM_URL."),

    Setting("FLOW_DISPLAY_STREAM_SECONDS", 300,
            "Lifetime of one waiting-room display stream; the screen then reconnects without a "
            "visible blip and resumes after the last call it showed."),
    Setting("FLOW_DISPLAY_MAX_STREAMS", 8,
            "Display streams one server process serves at once (of its SIKLUS_THREADS); more "
            "get 503 and retry, so screens never take every thread."),
    Setting("PUSKESMAS_NAME", "Puskesmas Siklus", "Name shown in the app and reports."),
    Setting("TIMEZONE", "Asia/Jakarta",
            "Local time zone of the Puskesmas: Asia/Jakarta (WIB), Asia/Makassar (WITA) or "
            "Asia/Jayapura (WIT). Every server 'today' (due lists, overdue tasks, the device "
            "window, dates that may not lie in the future) is the date there; an unknown zone "
            "stops the app at start."),
    Setting("ILP_CONFIG_DIR", None,
            "Folder of the clinical knowledge files. Default: `config/ilp` of the project."),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _coerce(raw: str, default: Any) -> Any:
    """Environment variables are strings; give them the type of the default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load_settings(instance_path: str, test_config: dict | None = None) -> dict[str, Any]:
    """Resolve every setting from defaults, config files, environment and test config."""
    values = dict(DEFAULTS)
    for path in (PROJECT_ROOT / "config" / "siklus.json", Path(instance_path) / "siklus.json"):
        if path.is_file():
            values.update(_known(json.loads(path.read_text()), path))
    for setting in SETTINGS:
        raw = os.environ.get(f"SIKLUS_{setting.name}")
        if raw is not None:
            values[setting.name] = _coerce(raw, setting.default)
    if test_config:
        values.update(test_config)
    if values["DATABASE_URL"] is None:
        values["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'siklus.db'}"
    if values["ILP_CONFIG_DIR"] is None:
        values["ILP_CONFIG_DIR"] = str(PROJECT_ROOT / "config" / "ilp")
    return values


def _known(data: dict, path: Path) -> dict:
    unknown = set(data) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
    return data

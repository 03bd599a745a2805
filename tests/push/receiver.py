"""A local web push service for the tests and the bench: it checks what a real one checks.

    with PushReceiver(vapid_public_key=app.config["VAPID_PUBLIC_KEY"]) as receiver:
        app.config.update(receiver.app_config())   # PUSH_CA_BUNDLE, PUSH_ALLOW_PRIVATE_ENDPOINTS
        sub = receiver.subscription()              # PushSubscription.toJSON(), answers 201
        gone = receiver.subscription(410)          # answers 410 to every push
        flaky = receiver.subscription((429, "30"), 201)  # 429 Retry-After: 30, then 201 forever
        slow = receiver.subscription("hang")       # never answers (the sender's timeout)
        ...                                        # the app sends
        [message] = receiver.received(sub)         # what arrived, decrypted

It serves HTTPS on 127.0.0.1 (a self-signed certificate made with `cryptography`; its file is
`ca_file`, which the app trusts through PUSH_CA_BUNDLE) with aiohttp, in a thread of the test
process (`start()`) or in a process of its own (`start(process=True)`, for the bench: the
sender then has a core to itself; `received()` is then unavailable, `stats()` works).
`PushReceiver(key, latency=0.05)` answers every push 50 ms late, as a push service across the
internet would.

Every POST to `/push/<seed>` is checked as a push service would, and recorded as a `Received`:
* the VAPID `Authorization: vapid t=<JWT>,k=<key>`: `k` is the server's public key given here,
  the JWT's ES256 signature verifies with it, `aud` is this service's origin as the request
  named it (https://127.0.0.1:<port>, or https://localhost:<port> for an endpoint on that
  name: `subscription(host="localhost")`), `exp` lies in the future and at most 24 h ahead,
  `sub` is a `mailto:` or https URL → else 403;
* the headers: `TTL` an integer ≥ 0 (required), `Urgency` one of RFC 8030's four, `Topic` at
  most 32 base64url characters, `Content-Encoding: aes128gcm` → else 400;
* the body at most 4096 bytes → else 413; it must decrypt (RFC 8291, `http_ece`) with the
  subscription's private key and auth secret (tests/push/keys.py derives both from the seed,
  so any seed is a subscription) → else 400.
A push that passes gets the subscription's next scripted answer (`subscription(*answers)` or
`script(sub, *answers)`): an int status (201, 404, 410, 413, 500, …; a 3xx carries a Location
to `/push/<seed>-redirected`), `(429, "30")` a status with its `Retry-After`, or "hang"; the
last answer repeats. Default: 201.

`received(sub=None)` lists `Received` records, oldest first: `seed`, `status` (None while
hanging), `headers` (lower-case names: ttl, urgency, topic, content-encoding), `claims` (the
verified JWT's), `body` (decrypted bytes), `payload` (the body as JSON, if it is), `error` (why it
was refused); `.ttl`, `.urgency`, `.topic` for short. `clear()` forgets them. Subscriptions are
told apart by seed, so tests sharing one receiver (session-scoped in tests/push/conftest.py)
never see each other's pushes.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ipaddress
import json
import multiprocessing
import re
import ssl
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import http_ece
from aiohttp import web
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from tests.push import keys

MAX_BODY = 4096
URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DAY = 24 * 3600


@dataclass
class Received:
    """One push as it arrived: `status` is what the service answered; `error` why it refused."""
    seed: str
    status: int | None
    headers: dict[str, str]
    claims: dict = field(default_factory=dict)
    body: bytes | None = None     # the decrypted body
    payload: dict | None = None   # … parsed, when it is JSON
    error: str | None = None

    @property
    def ttl(self) -> int:
        return int(self.headers["ttl"])

    @property
    def urgency(self) -> str | None:
        return self.headers.get("urgency")

    @property
    def topic(self) -> str | None:
        return self.headers.get("topic")


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Siklus test push service")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=False,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "push-service.pem", directory / "push-service.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class _Service:
    """The aiohttp application and its state; lives in the thread or process that serves."""

    def __init__(self, vapid_public_key: str, latency: float = 0.0):
        self.latency = latency
        self.vapid_key_b64 = vapid_public_key
        self.vapid_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), _unb64(vapid_public_key))
        self.origin = ""
        self.scripts: dict[str, list] = {}
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.hanging: set[asyncio.Future] = set()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/push/{seed}", self.push)
        app.router.add_get("/_stats", self.stats)
        app.on_shutdown.append(self._release)
        return app

    async def _release(self, _app) -> None:
        for future in self.hanging:
            future.cancel()

    def _claims(self, authorization: str, origin: str) -> dict:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise Refused(403, f"Authorization scheme {scheme!r}, not vapid")
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        if parts.get("k") != self.vapid_key_b64:
            raise Refused(403, "k is not the server's VAPID public key")
        try:
            header_b64, claims_b64, signature_b64 = parts["t"].split(".")
            signature = _unb64(signature_b64)
            if len(signature) != 64:
                raise InvalidSignature
            self.vapid_key.verify(
                encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                     int.from_bytes(signature[32:], "big")),
                f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
            header, claims = json.loads(_unb64(header_b64)), json.loads(_unb64(claims_b64))
        except (KeyError, ValueError, InvalidSignature) as exc:
            raise Refused(403, f"the JWT does not verify: {exc!r}") from exc
        if header.get("alg") != "ES256":
            raise Refused(403, f"JWT alg {header.get('alg')!r}, not ES256")
        if claims.get("aud") != origin:
            raise Refused(403, f"aud {claims.get('aud')!r} is not {origin}")
        exp, now = claims.get("exp"), time.time()
        if not isinstance(exp, int) or not now < exp <= now + DAY:
            raise Refused(403, f"exp {exp!r} is not within the next 24 h")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not re.match(r"^(mailto:\S+@\S+|https://\S+)$", sub):
            raise Refused(403, f"sub {sub!r} is not a mailto: or https URL")
        return claims

    @staticmethod
    def _headers(request: web.Request) -> dict[str, str]:
        found = {name: request.headers[name] for name in ("TTL", "Urgency", "Topic",
                                                         "Content-Encoding")
                 if name in request.headers}
        found = {name.lower(): value for name, value in found.items()}
        if not found.get("ttl", "").isdigit():
            raise Refused(400, f"TTL {found.get('ttl')!r} is not an integer ≥ 0")
        if "urgency" in found and found["urgency"] not in URGENCIES:
            raise Refused(400, f"Urgency {found['urgency']!r}")
        if "topic" in found and not TOPIC.match(found["topic"]):
            raise Refused(400, f"Topic {found['topic']!r} is not ≤ 32 base64url characters")
        if found.get("content-encoding") != "aes128gcm":
            raise Refused(400, f"Content-Encoding {found.get('content-encoding')!r}")
        return found

    def _answer(self, seed: str):
        with self.lock:
            script = self.scripts.get(seed) or [201]
            return script.pop(0) if len(script) > 1 else script[0]

    async def push(self, request: web.Request) -> web.StreamResponse:
        seed = request.match_info["seed"]
        record = Received(seed=seed, status=None, headers={})
        try:
            record.headers = self._headers(request)
            record.claims = self._claims(request.headers.get("Authorization", ""),
                                         f"https://{request.host}")
            body = await request.read()
            if len(body) > MAX_BODY:
                raise Refused(413, f"body of {len(body)} bytes")
            browser = keys.browser_keys(seed)
            try:
                plain = http_ece.decrypt(body, private_key=browser.private_key,
                                         auth_secret=browser.auth_secret, version="aes128gcm")
            except Exception as exc:  # any failure to decrypt is the answer
                raise Refused(400, f"the body does not decrypt: {exc!r}") from exc
            record.body = plain
            try:
                record.payload = json.loads(plain)
            except ValueError:
                record.payload = None
        except Refused as refused:
            record.status, record.error = refused.status, str(refused)
            self.received.append(record)
            return web.Response(status=refused.status, text=str(refused))
        answer = self._answer(seed)
        if self.latency:
            await asyncio.sleep(self.latency)
        if answer == "hang":
            self.received.append(record)
            future = asyncio.get_running_loop().create_future()
            self.hanging.add(future)
            try:
                await future
            finally:
                self.hanging.discard(future)
            return web.Response(status=504)
        status, retry_after = answer if isinstance(answer, tuple) else (answer, None)
        record.status = status
        self.received.append(record)
        headers = {"Retry-After": retry_after} if retry_after else {}
        if status in (201, 202):
            headers["Location"] = f"{self.origin}/message/{len(self.received)}"
        elif 300 <= status < 400:     # a client that follows it pushes to `<seed>-redirected`
            headers["Location"] = f"https://{request.host}/push/{seed}-redirected"
        return web.Response(status=status, headers=headers)

    async def stats(self, _request: web.Request) -> web.Response:
        by_status: dict[str, int] = {}
        for record in list(self.received):
            by_status[str(record.status)] = by_status.get(str(record.status), 0) + 1
        return web.json_response({"received": len(self.received), "by_status": by_status,
                                  "cpu_seconds": time.process_time(),
                                  "errors": [r.error for r in self.received if r.error][:5]})


async def _serve(service: _Service, cert_file: Path, key_file: Path, started) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    runner = web.AppRunner(service.app(), access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    service.origin = f"https://127.0.0.1:{port}"
    stop = asyncio.get_running_loop().create_future()
    started(port, stop)
    try:
        await stop
    finally:
        await runner.cleanup()


def _process_main(vapid_public_key: str, latency: float, cert_file: str, key_file: str,
                  pipe) -> None:
    """The receiver in a process of its own: serves until its parent sends anything."""
    service = _Service(vapid_public_key, latency)

    def started(port, stop):
        pipe.send(port)
        loop = asyncio.get_running_loop()
        loop.add_reader(pipe.fileno(), lambda: stop.done() or stop.set_result(None))

    asyncio.run(_serve(service, Path(cert_file), Path(key_file), started))


class PushReceiver:
    """The local push service; see the module docstring."""

    def __init__(self, vapid_public_key: str, latency: float = 0.0):
        self.vapid_public_key = vapid_public_key
        self.latency = latency
        self._dir = tempfile.TemporaryDirectory(prefix="siklus-push-")
        self.ca_file, self._key_file = certificate(Path(self._dir.name))
        self.origin = ""
        self._service: _Service | None = None
        self._thread: threading.Thread | None = None
        self._process = None
        self._pipe = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Future | None = None

    # -- life -------------------------------------------------------------------------------
    def start(self, process: bool = False) -> PushReceiver:
        if process:
            context = multiprocessing.get_context("spawn")
            self._pipe, child = context.Pipe()
            self._process = context.Process(
                target=_process_main, daemon=True,
                args=(self.vapid_public_key, self.latency, str(self.ca_file),
                      str(self._key_file), child))
            self._process.start()
            if not self._pipe.poll(30):
                raise RuntimeError("the push receiver process did not start")
            self.origin = f"https://127.0.0.1:{self._pipe.recv()}"
            return self
        self._service = _Service(self.vapid_public_key, self.latency)
        ready = threading.Event()

        def started(port, stop):
            self._loop, self._stop = asyncio.get_running_loop(), stop
            self.origin = f"https://127.0.0.1:{port}"
            ready.set()

        self._thread = threading.Thread(
            target=lambda: asyncio.run(_serve(self._service, self.ca_file, self._key_file,
                                              started)), daemon=True, name="push-receiver")
        self._thread.start()
        if not ready.wait(30):
            raise RuntimeError("the push receiver did not start")
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._pipe.send("stop")
            self._process.join(10)
            self._process = None
        if self._thread is not None:
            self._loop.call_soon_threadsafe(lambda: self._stop.done() or
                                            self._stop.set_result(None))
            self._thread.join(10)
            self._thread = None
        self._dir.cleanup()

    def __enter__(self) -> PushReceiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def app_config(self) -> dict:
        """The settings that make an app trust and reach this service."""
        return {"PUSH_CA_BUNDLE": str(self.ca_file), "PUSH_ALLOW_PRIVATE_ENDPOINTS": True}

    # -- subscriptions and their answers ----------------------------------------------------
    def subscription(self, *answers, seed: str | None = None, host: str = "127.0.0.1") -> dict:
        """A new browser subscription on this service (`PushSubscription.toJSON()`), answering
        `answers` in turn (the last repeats; none: 201)."""
        sub = keys.subscription(self.origin.replace("127.0.0.1", host), seed)
        if answers:
            self.script(sub, *answers)
        return sub

    def script(self, sub: dict | str, *answers) -> None:
        """From now on, answer the pushes to `sub` (a subscription or its endpoint) with
        `answers` in turn; the last one repeats."""
        self._local().scripts[_seed(sub)] = list(answers) or [201]

    def received(self, sub: dict | str | None = None) -> list[Received]:
        """The pushes that arrived (to `sub` only, when given), oldest first."""
        records = list(self._local().received)
        return records if sub is None else [r for r in records if r.seed == _seed(sub)]

    def clear(self) -> None:
        self._local().received.clear()

    def stats(self) -> dict:
        """{"received": n, "by_status": {"201": n, …}, "cpu_seconds": the serving process's CPU
        time, "errors": [the first five]}; works in both modes."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        with urllib.request.urlopen(f"{self.origin}/_stats", context=context,
                                    timeout=10) as answer:
            return json.load(answer)

    def _local(self) -> _Service:
        if self._service is None:
            raise RuntimeError("this receiver runs in another process: use stats()")
        return self._service


def _seed(sub: dict | str) -> str:
    endpoint = sub["endpoint"] if isinstance(sub, dict) else sub
    return endpoint.rsplit("/push/", 1)[1]

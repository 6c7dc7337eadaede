"""Real services for the many-machine tests: a throwaway PostgreSQL cluster and an S3 server.

PostgreSQL is the Debian server (package postgresql-15) run from its versioned folder. Tests
run as root and initdb refuses root, so the cluster belongs to an unprivileged account (the
`postgres` account the package creates, else `nobody`) and lives in a temporary folder that
account owns. It listens on a free port of 127.0.0.1 only, with a password (scram) that
reaches clients through PGPASSWORD, as it would on a real deployment.

Object storage is moto's S3 server in its own process on a free port of 127.0.0.1; DuckDB
reaches it through httpfs with a secret made from the AWS_* variables of the environment.

Both start once per test session (`lake_services` in tests/conftest.py) and are stopped at
its end. Without the PostgreSQL binaries the tests that need them skip, saying so.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from processes import stop_process

PG_BIN = Path(os.environ.get("WIREWATCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_SUPERUSER = "wirewatch"
S3_KEY_ID = "wirewatch-test"
S3_REGION = "us-east-1"
START_TIMEOUT_S = 60


def pg_missing_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    if not (PG_BIN / "postgres").is_file() or not (PG_BIN / "initdb").is_file():
        return f"PostgreSQL 15 binaries not found in {PG_BIN} (apt-get install postgresql-15)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _service_account() -> pwd.struct_passwd | None:
    """The account the cluster runs as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither 'postgres' nor 'nobody' exists")


def _die_with_parent() -> Callable[[], None]:
    """For the child before exec: SIGKILL when the test process dies, however it dies (a
    SIGKILLed or timed-out pytest runs no fixture teardown and would orphan the server).
    It runs after the switch of account, which would clear it. libc is loaded here, in the
    parent: the forked child only makes the call."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig, sigkill = 1, int(signal.SIGKILL)
    return lambda: prctl(pr_set_pdeathsig, sigkill)


def _as_account(account: pwd.struct_passwd | None) -> dict:
    if account is None:
        return {"preexec_fn": _die_with_parent()}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [],
            "preexec_fn": _die_with_parent()}


@dataclass
class Postgres:
    """A running throwaway cluster; `dsn(db)` is a libpq DSN without the password."""

    port: int
    password: str
    root: Path
    account: pwd.struct_passwd | None

    def dsn(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={PG_SUPERUSER}"

    def url(self, dbname: str, driver: str = "postgresql+asyncpg") -> str:
        """A SQLAlchemy URL (Prefect's server database); the password is in it, as Prefect
        needs, so it is only ever passed through the environment."""
        return f"{driver}://{PG_SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def env(self) -> dict[str, str]:
        return {"PGPASSWORD": self.password}

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        result = subprocess.run(
            [str(PG_BIN / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
             "-d", self.dsn(dbname), "-c", sql],
            env={**os.environ, **self.env()}, capture_output=True, text=True, timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def create_database(self, prefix: str = "lake") -> str:
        name = f"{prefix}_{secrets.token_hex(6)}"
        self.psql(f"CREATE DATABASE {name}")
        return name


@contextmanager
def postgres() -> Iterator[Postgres]:
    """initdb into a fresh folder, start on a free port, stop (immediately) at the end."""
    account = _service_account()
    root = Path(tempfile.mkdtemp(prefix="wirewatch-pg-"))
    data, pwfile = root / "data", root / "pwfile"
    password = secrets.token_urlsafe(18)
    pwfile.write_text(password + "\n", encoding="utf-8")
    if account is not None:
        for path in (root, pwfile):
            os.chown(path, account.pw_uid, account.pw_gid)
    root.chmod(0o700)
    pwfile.chmod(0o600)
    as_account = _as_account(account)
    subprocess.run(
        [str(PG_BIN / "initdb"), "-D", str(data), "-U", PG_SUPERUSER, "--pwfile", str(pwfile),
         "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
         "--no-sync", "--locale=C"],
        check=True, capture_output=True, cwd=root, **as_account,
    )
    pwfile.unlink()
    port = free_port()
    log = (root / "server.log").open("w")
    if account is not None:
        os.chown(root / "server.log", account.pw_uid, account.pw_gid)
    server = subprocess.Popen(
        [str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
         "-k", str(root), "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", "max_connections=200",
         "-c", "shared_buffers=64MB"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True, **as_account,
    )
    cluster = Postgres(port, password, root, account)
    try:
        _wait_for_postgres(cluster, server)
        yield cluster
    finally:
        # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM, "smart", waits for every client).
        stop_process(server, timeout_s=30, first_signal=signal.SIGINT)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_postgres(cluster: Postgres, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.poll() is not None:
            log = (cluster.root / "server.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"postgres exited at start: {log[-2000:]}")
        try:
            cluster.psql("SELECT 1")
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass
class ObjectStore:
    """A running S3 server; `env()` is what a worker needs to reach it."""

    port: int
    secret_key: str

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": S3_KEY_ID, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_REGION": S3_REGION, "AWS_ENDPOINT_URL": self.endpoint}

    def create_bucket(self, name: str) -> None:
        request = urllib.request.Request(f"{self.endpoint}/{name}", method="PUT")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def list_keys(self, bucket: str, prefix: str = "") -> list[str]:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint, region_name=S3_REGION,
                              aws_access_key_id=S3_KEY_ID,
                              aws_secret_access_key=self.secret_key)
        keys: list[str] = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                     Prefix=prefix):
            keys += [item["Key"] for item in page.get("Contents", [])]
        return keys


@contextmanager
def object_store() -> Iterator[ObjectStore]:
    """moto's S3 server in its own process (its own interpreter, so its GIL is its own)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=_die_with_parent(),
    )
    store = ObjectStore(port, secrets.token_urlsafe(18))
    try:
        _wait_for_http(f"{store.endpoint}/", server)
        yield store
    finally:
        stop_process(server, timeout_s=10)


def _wait_for_http(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the S3 server exited at start ({server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass
class LakeServices:
    pg: Postgres
    s3: ObjectStore
    bucket: str

    def env(self) -> dict[str, str]:
        """The credentials a worker gets from its environment (never from settings)."""
        return {**self.pg.env(), **self.s3.env()}

    def fresh_lake(self) -> tuple[str, str]:
        """A new empty catalog database and data prefix: (warehouse setting, data path)."""
        dbname = self.pg.create_database()
        return f"ducklake:postgres:{self.pg.dsn(dbname)}", f"s3://{self.bucket}/{dbname}/"


@contextmanager
def lake_services() -> Iterator[LakeServices]:
    """PostgreSQL and S3, with the credentials put into this process's environment."""
    with postgres() as pg, object_store() as s3:
        bucket = "wirewatch-test"
        s3.create_bucket(bucket)
        services = LakeServices(pg, s3, bucket)
        saved = {key: os.environ.get(key) for key in services.env()}
        os.environ.update(services.env())
        try:
            yield services
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

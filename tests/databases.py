"""Real databases for the storage tests: a SQLite file per test, and a PostgreSQL server that the
suite starts itself (Debian's `postgresql`; as root it runs as the `postgres` user)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throw-away cluster on a free loopback port; `new_database()` gives each test its own."""

    def __init__(self, bin_dir: Path):
        self.base = Path(tempfile.mkdtemp(prefix="tierscope-pg-"))
        self.base.chmod(0o755)
        as_root = os.getuid() == 0
        self.prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        if as_root:
            shutil.chown(self.base, "postgres")
        data = self.base / "data"
        subprocess.run([*self.prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "tierscope", "--auth=trust",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        self.port = _free_port()
        self.log = open(self.base / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*self.prefix, str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(self.base),
             "-h", "127.0.0.1", "-F", "-c", "max_connections=100"], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"postgresql+psycopg://tierscope@127.0.0.1:{self.port}"
        admin = create_engine(f"{self.url}/postgres", isolation_level="AUTOCOMMIT")
        deadline = time.monotonic() + 30
        while True:
            try:
                with admin.connect() as connection:
                    connection.execute(text("SELECT 1"))
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"PostgreSQL did not start; see {self.base / 'server.log'}") from None
                time.sleep(0.2)
        self.admin = admin

    def new_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return f"{self.url}/{name}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres() -> PostgresServer:
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("TIERSCOPE_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required for the storage tests (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    return PostgresServer(bin_dir)

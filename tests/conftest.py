"""Shared fixtures: the running app for browser tests, launched in Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("TIERSCOPE_REQUIRE_BROWSER"):
        raise pytest.UsageError("chromium is required for the browser tests (apt-get install chromium)")
    skip = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


# Every server's log, so that a failing test's report ends with what the servers it used wrote meanwhile (a
# browser wait that timed out says what the page saw; this says what the server did).
_SERVER_LOGS: list[Path] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.failed and call.when == "call":
        for log in _SERVER_LOGS:
            if log.exists() and log.stat().st_mtime >= call.start:
                lines = log.read_text(errors="replace").splitlines()[-40:]
                report.sections.append((f"{log.name}, its last lines", "\n".join(lines)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*options: str, env: dict[str, str] | None = None, port: int | None = None):
    """Start `streamlit run app.py` on a free loopback port; yield its URL; stop it afterwards (also
    when the generator is closed: a test that restarts the server closes it)."""
    port = port or _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")
    _SERVER_LOGS.append(Path(log.name))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *options], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail(f"the streamlit server did not start within 60 s; see test-artifacts/streamlit-{port}.log")
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url():
    yield from serve()


@pytest.fixture(scope="module")
def small_upload_app_url():
    """The app with a 1 MB upload limit, to see how an over-limit file is refused."""
    yield from serve("--server.maxUploadSize", "1")


@pytest.fixture(scope="session", autouse=True)
def scratch_database(tmp_path_factory):
    """Every test that saves work writes to a scratch SQLite file, never the user's own database."""
    from tiers.storage.database import DATABASE_URL_ENV

    path = tmp_path_factory.mktemp("work") / "tierscope.db"
    previous = os.environ.get(DATABASE_URL_ENV)
    os.environ[DATABASE_URL_ENV] = f"sqlite:///{path}"
    yield path
    if previous is None:
        os.environ.pop(DATABASE_URL_ENV, None)
    else:
        os.environ[DATABASE_URL_ENV] = previous


@pytest.fixture(scope="session")
def postgres():
    from tests.databases import start_postgres

    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A new, empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'work.db'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture(autouse=True)
def app_runs_through_its_entry(monkeypatch):
    """Every AppTest run goes through app.py, as a real server's do (see helpers.run_entry_script)."""
    from streamlit.runtime.scriptrunner import script_runner

    from tests.helpers import run_entry_script

    monkeypatch.setattr(script_runner, "_mpa_v1", run_entry_script)


OIDC_USERS = {  # sub -> claims: two organisations and someone no rule lets in
    "ayu": {"email": "ayu@agency.co.id", "email_verified": True, "name": "Ayu"},
    "budi": {"email": "budi@agency.co.id", "email_verified": True, "name": "Budi"},
    "rex": {"email": "rex@rival.com", "email_verified": True, "name": "Rex"},
    "eve": {"email": "eve@gmail.com", "email_verified": True, "name": "Eve"},
}


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (oidc-provider-mock) on a loopback port, with OIDC_USERS."""
    import json

    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"oidc-{port}.log", "w")
    claims = [arg for sub, user in OIDC_USERS.items() for arg in ("--user-claims", json.dumps({"sub": sub, **user}))]
    provider = subprocess.Popen([str(Path(sys.executable).with_name("oidc-provider-mock")), "--port", str(port),
                                 *claims], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        provider.kill()
        pytest.fail("the OpenID Connect provider did not start; see test-artifacts/oidc-*.log")
    yield url
    provider.terminate()
    provider.wait(10)
    log.close()


def signed_in_server(oidc_url: str, tmp_path: Path, env: dict[str, str] | None = None):
    """The app with sign-in on (secrets of the test's own), agency.co.id and rival.com allowed."""
    port = _free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-cookie-secret-{port}"
client_id = "tierscope-tests"
client_secret = "not-a-secret"
server_metadata_url = "{oidc_url}/.well-known/openid-configuration"

[tierscope]
allowed_domains = ["agency.co.id", "rival.com"]
""")
    return serve("--secrets.files", str(secrets), env=env, port=port)

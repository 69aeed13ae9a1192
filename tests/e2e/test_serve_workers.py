"""`peacelink serve --workers 2` on one SQLite file: concurrent checks from both processes, one audit chain.

SQLite only: several processes sharing one database file is the SQLite-specific case (the cross-process
writer gate); PostgreSQL serves several processes by design.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select
from tests.conftest import SECRET, World

from peacelink.access import Role
from peacelink.api.state import AppState
from peacelink.audit import service as audit
from peacelink.audit.models import AuditEvent
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.matching.names import CORE_STATE
from peacelink.settings import Settings

PEACELINK = Path(sys.executable).with_name("peacelink")
CHECKS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_two_worker_processes_share_one_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = build_engine(url)
    upgrade(engine)
    state = AppState(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        secret_key=SECRET,
    )
    officer = World(state).user("MINUSCA", Role.FIELD_OFFICER)
    port = _free_port()
    env = {**os.environ, "PEACELINK_DATABASE_URL": url, "PEACELINK_SECRET_KEY": SECRET.decode()}
    log = (tmp_path / "serve.log").open("ab")
    server = subprocess.Popen(
        [str(PEACELINK), "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)

        def check(number: int) -> int:
            response = httpx.post(
                f"{base}/api/v1/checks/documents",
                json={"issuing_country": "UTO", "number": f"AB{number:07d}"},
                headers=officer.headers,
                timeout=30,
            )
            assert response.json()["result"] == "no_hit", response.text
            return response.status_code

        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(check, range(CHECKS)))
        assert statuses == [200] * CHECKS
    finally:
        server.terminate()
        server.wait(timeout=20)
    # Each worker says whether its name-matching core is the compiled one (this process has the same files
    # and environment, so the same state).
    assert (tmp_path / "serve.log").read_text().count(CORE_STATE) == 2
    with state.sessions() as session:
        checks = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "check.documents")
        )
        assert checks == CHECKS
        assert audit.verify(session).ok  # writes from two processes, one unbroken chain
    engine.dispose()


def test_workers_refuse_a_port_another_server_already_listens_on(tmp_path: Path) -> None:
    # The workers' sockets share their port (SO_REUSEPORT), and so would another server's: a second
    # `serve --workers 2` on a port a first one served started without a word, and the kernel split the
    # connections between two servers of different databases (tokens valid on one were 401 on the other).
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = build_engine(url)
    upgrade(engine)
    engine.dispose()
    env = {**os.environ, "PEACELINK_DATABASE_URL": url, "PEACELINK_SECRET_KEY": SECRET.decode()}
    with socket.socket() as other:  # a worker of the other server: SO_REUSEPORT, listening
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = subprocess.Popen(
            [str(PEACELINK), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            _, err = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.communicate(timeout=20)
            raise AssertionError(f"serve started on port {port}, which another server listens on") from None
    assert server.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in err.decode()

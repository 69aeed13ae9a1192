"""Two PeaceLink nodes as separate processes on loopback: store-and-forward survives cuts and restarts.

The central node hosts CENTRAL and NCB-UTO, the mission node hosts MINUSCA. The test cuts the link (kills
the mission node), sends, restarts the central node while the link is down, sends more, brings the mission
node back, and checks that every message arrives once, in order, with receipts flowing back; then the same
in the other direction.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.messaging.canonical import b64encode
from peacelink.messaging.delivery import Channel
from peacelink.messaging.keystore import active_row, add_generation
from peacelink.messaging.publication import publish
from peacelink.nodes.config import build, node_public_key
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

PEACELINK = Path(sys.executable).with_name("peacelink")
SECRETS = {"central": b"central-node-secret-for-tests-only", "mission": b"mission-node-secret-for-tests-only"}
HOSTED = {"central": ["CENTRAL", "NCB-UTO"], "mission": ["MINUSCA"]}


def _ephemeral_range() -> range:
    """The ports the kernel hands out for outgoing connections (Linux's default if it does not say)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return range(int(low), int(high) + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def _free_port() -> int:
    """A free port outside the ephemeral range: a node is stopped and started again on its port, and while
    it is down an outgoing connection (a peer's retries, the other test worker's clients) could otherwise be
    given that port as its own, and the node could not listen on it again."""
    ephemeral = _ephemeral_range()
    for port in random.sample(range(20000, 32000), 200):
        if port in ephemeral:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port between 20000 and 32000")


def _wait(predicate: Callable[[], Any], *, timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Node:
    """One node: its database, settings (as environment variables) and, while running, its process."""

    def __init__(self, name: str, tmp: Path, port: int) -> None:
        self.name, self.port, self.tmp = name, port, tmp
        self.url = f"http://127.0.0.1:{port}"
        self.database_url = f"sqlite:///{tmp / (name + '.db')}"
        self.env: dict[str, str] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""

    def setup(self) -> None:
        engine = build_engine(self.database_url)
        upgrade(engine)
        sessions = session_factory(engine)
        initialise(sessions, secret_key=SECRETS[self.name], token_days=5)
        with unit_of_work(sessions) as session:
            admin = users.actor_for_username(session, username="admin")
            for data in (
                AgencyCreate(code="NCB-UTO", name="NCB Utopia", kind=AgencyKind.NCB, country="UTO"),
                AgencyCreate(
                    code="MINUSCA",
                    name="MINUSCA",
                    kind=AgencyKind.MISSION,
                    area=["CAF"],
                    mandate_end=__import__("datetime").date(2030, 1, 1),
                ),
            ):
                agencies.create(session, actor=admin, data=data)
            agency, roles = (
                ("NCB-UTO", [Role.INVESTIGATOR])
                if self.name == "central"
                else ("MINUSCA", [Role.FIELD_OFFICER])
            )
            created = users.create_unchecked(
                session,
                data=UserCreate(username=f"{self.name}-user", agency=agency, roles=roles),
                secret_key=SECRETS[self.name],
                token_days=5,
            )
            self.token = created.token
        engine.dispose()

    def channel(self, peers: list[dict[str, Any]], directory_key: str | None) -> Channel:
        node = build(
            name=self.name,
            secret_key=SECRETS[self.name],
            agencies=[] if self.name == "central" else HOSTED[self.name],
            peers=peers,
            directory_key=directory_key,
        )
        return Channel(secret_key=SECRETS[self.name], node=node)

    def make_keys(self, channel: Channel) -> str:
        """Generate the hosted agencies' keys on this node and publish them; return CENTRAL's key if here."""
        engine = build_engine(self.database_url)
        sessions = session_factory(engine)
        with unit_of_work(sessions) as session:
            for code in HOSTED[self.name]:
                add_generation(session, agency_code=code, secret_key=channel.secret_key)
            publish(session, channel=channel)
            central = active_row(session, "CENTRAL") if self.name == "central" else None
            key = b64encode(bytes(central.sign_key)) if central is not None else ""
        engine.dispose()
        return key

    def start(self) -> None:
        env = {**os.environ, **self.env}
        log = (self.tmp / f"{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            [str(PEACELINK), "serve", "--port", str(self.port)], env=env, stdout=log, stderr=log
        )
        process = self.process

        def up() -> bool:
            if process.poll() is not None:
                # Gone (a port taken, a bad setting): say why now, not after the minute below.
                tail = (self.tmp / f"{self.name}.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"{self.name} exited with {process.returncode}:\n{tail}")
            return httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200

        # A node's start-up (imports, migrations) took over 15 s on a loaded 2-core machine.
        _wait(up, timeout=60.0, what=f"{self.name} up")

    def stop(self, *, crash: bool = False) -> None:
        if self.process is not None:
            (self.process.kill if crash else self.process.terminate)()
            self.process.wait(timeout=10)
            self.process = None

    def get(self, path: str) -> Any:
        response = httpx.get(self.url + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=5)
        response.raise_for_status()
        return response.json()

    def send(self, to: str, subject: str) -> dict[str, Any]:
        response = httpx.post(
            self.url + "/api/v1/messages",
            json={"recipients": [to], "subject": subject, "body": f"body of {subject}"},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    central, mission = Node("central", tmp_path, _free_port()), Node("mission", tmp_path, _free_port())
    central.setup()
    mission.setup()
    keys = {name: node_public_key(secret) for name, secret in SECRETS.items()}
    central_peers = [{"name": "mission", "url": mission.url, "key": keys["mission"], "agencies": ["MINUSCA"]}]
    mission_peers = [{"name": "central", "url": central.url, "key": keys["central"], "agencies": ["*"]}]
    directory_key = central.make_keys(central.channel(central_peers, None))
    mission.make_keys(mission.channel(mission_peers, directory_key))
    for node, peers in ((central, central_peers), (mission, mission_peers)):
        node.env = {
            "PEACELINK_DATABASE_URL": node.database_url,
            "PEACELINK_SECRET_KEY": SECRETS[node.name].decode(),
            "PEACELINK_VAR_DIR": str(tmp_path / node.name),
            "PEACELINK_NODE_NAME": node.name,
            "PEACELINK_NODE_PEERS": json.dumps(peers),
            "PEACELINK_NODE_AGENCIES": json.dumps([] if node is central else HOSTED["mission"]),
        }
    mission.env["PEACELINK_NODE_DIRECTORY_KEY"] = directory_key
    try:
        yield central, mission
    finally:
        central.stop()
        mission.stop()


def _subjects(node: Node) -> list[str]:
    return [m["subject"] for m in reversed(node.get("/api/v1/messages?limit=200"))]


def test_store_and_forward_survives_cuts_and_restarts(nodes: tuple[Node, Node]) -> None:
    central, mission = nodes
    central.start()
    mission.start()
    # Keys travel over the link: MINUSCA's to the central node, the signed directory back.
    _wait(lambda: central.get("/api/v1/messages/keys?agency=MINUSCA"), what="MINUSCA key at central")
    _wait(lambda: mission.get("/api/v1/messages/keys?agency=NCB-UTO"), what="directory at mission")

    sent = [central.send("MINUSCA", "m00 while up")["subject"]]
    _wait(lambda: _subjects(mission) == sent, what="first message")

    mission.stop(crash=True)  # cut the link: the mission node dies
    sent += [central.send("MINUSCA", f"m{i:02d} while down")["subject"] for i in range(1, 6)]
    central.stop()  # the sending side restarts while its peer is away
    central.start()
    sent += [central.send("MINUSCA", f"m{i:02d} after restart")["subject"] for i in range(6, 11)]

    started = time.monotonic()
    mission.start()
    _wait(lambda: len(_subjects(mission)) >= len(sent), what="catch-up")
    caught_up = time.monotonic() - started
    assert _subjects(mission) == sent  # all there, once each, in order
    print(f"mission node caught up {len(sent)} messages in {caught_up:.2f} s after its start")
    assert caught_up < 10
    outbox = _wait(
        lambda: (
            (o := central.get("/api/v1/messages/outbox?limit=200"))
            and all(m["recipients"][0]["delivered_at"] for m in o)
            and o
        ),
        what="delivery receipts",
    )
    assert len(outbox) == len(sent)

    # The other way: the central node is down while the mission sends.
    central.stop(crash=True)
    replies = [mission.send("NCB-UTO", f"r{i:02d} from the field")["subject"] for i in range(3)]
    mission.stop()
    mission.start()
    central.start()
    _wait(lambda: len(_subjects(central)) >= 3, what="replies at central")
    assert _subjects(central) == replies
    first = central.get("/api/v1/messages")[-1]
    assert first["body"] == "body of r00 from the field" and first["sender_agency"] == "MINUSCA"
    central.get(f"/api/v1/messages/{first['id']}")  # read receipt travels back to the mission node
    _wait(
        lambda: any(r["read_at"] for m in mission.get("/api/v1/messages/outbox") for r in m["recipients"]),
        what="read receipt at mission",
    )


def test_push_needs_a_valid_peer_signature(tmp_path: Path) -> None:
    """In-process: a signed push is applied once; a bad signature, wrong addressee or user token gets 401."""
    from fastapi.testclient import TestClient

    from peacelink.api.app import create_app
    from peacelink.nodes.auth import sign_request
    from peacelink.settings import Settings

    peer_secret = b"peer-secret"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        var_dir=tmp_path,
        secret_key="receiver-secret",
        node_name="central",
        node_peers=[
            {
                "name": "mission",
                "url": "http://127.0.0.1:9",
                "key": node_public_key(peer_secret),
                "agencies": ["MINUSCA"],
            }
        ],
    )
    upgrade(build_engine(settings.database_url))
    peer = build(name="mission", secret_key=peer_secret)
    body = json.dumps(
        {"from": "mission", "items": [{"seq": 1, "kind": "receipt", "payload": "e30="}]}
    ).encode()
    path = "/api/v1/nodes/push"
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        headers = sign_request(peer, peer="central", method="POST", path=path, body=body)
        assert client.post(path, content=body, headers=headers).json()["applied"] == 1
        assert client.post(path, content=body, headers=headers).json()["applied"] == 1  # replay: no effect
        tampered = body.replace(b'"seq": 1', b'"seq": 2')
        assert client.post(path, content=tampered, headers=headers).status_code == 401
        wrong = sign_request(peer, peer="elsewhere", method="POST", path=path, body=body)
        assert client.post(path, content=body, headers=wrong).status_code == 401
        stranger = build(name="mission", secret_key=b"not-the-peer")
        forged = sign_request(stranger, peer="central", method="POST", path=path, body=body)
        assert client.post(path, content=body, headers=forged).status_code == 401
        assert client.post(path, content=body, headers={"Authorization": "Bearer pl_x"}).status_code == 401

"""The background sender: pushes each peer's outbox in order, retrying with a short, capped backoff.

Synapse backs off a failing destination from 10 minutes up to a day (DOMAIN.md section 4, #15754), which is
why its servers catch up slowly after an outage. Our peers are few and known, so we probe a down peer with
an exponential backoff capped at ``max_backoff`` (2 s by default): a returning node is caught up within
seconds, at the price of one small failed request per peer every two seconds while it is away.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time

import httpx
from sqlalchemy.orm import Session, sessionmaker

from peacelink.db.unit_of_work import unit_of_work
from peacelink.nodes import link
from peacelink.nodes.auth import sign_request
from peacelink.nodes.config import NodeConfig, Peer

log = logging.getLogger("peacelink.nodes")
PUSH_PATH = "/api/v1/nodes/push"


class LinkSender:
    """One daemon thread pushing every peer's outbox; ``wake()`` after queueing to send at once."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        node: NodeConfig,
        *,
        idle: float = 0.2,
        first_backoff: float = 0.1,
        max_backoff: float = 2.0,
        timeout: float = 10.0,
    ) -> None:
        self.sessions = sessions
        self.node = node
        self.idle = idle
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._backoff: dict[str, float] = {}
        self._next_try: dict[str, float] = {}

    def start(self) -> None:
        """Start the thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="peacelink-link-sender", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Ask the thread to finish and wait for it briefly."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 1)
            self._thread = None

    def wake(self) -> None:
        """Send now rather than at the next poll."""
        self._wake.set()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while not self._stop.is_set():
                busy = False
                for peer in self.node.peers:
                    if time.monotonic() < self._next_try.get(peer.name, 0.0):
                        continue
                    try:
                        busy = self.push_once(client, peer) or busy
                        self._backoff.pop(peer.name, None)
                        self._next_try.pop(peer.name, None)
                    except Exception as error:  # any failure: back off, never let the thread die
                        self._failed(peer, error)
                if not busy:
                    self._wake.wait(self.idle)
                    self._wake.clear()

    def _failed(self, peer: Peer, error: Exception) -> None:
        delay = min(self._backoff.get(peer.name, self.first_backoff / 2) * 2, self.max_backoff)
        self._backoff[peer.name] = delay
        self._next_try[peer.name] = time.monotonic() + delay
        log.info("link to %s down (%s); retrying in %.1f s", peer.name, type(error).__name__, delay)
        try:
            with unit_of_work(self.sessions) as session:
                link.record_failure(session, peer=peer.name, error=f"{type(error).__name__}: {error}")
        except Exception:  # noqa: S110 - the status note is best effort; the database may be busy
            pass

    def push_once(self, client: httpx.Client, peer: Peer) -> bool:
        """Send one batch to ``peer`` and drop what it acknowledged; True if anything was sent."""
        with unit_of_work(self.sessions) as session:
            items = [(i.seq, i.kind, i.payload) for i in link.pending(session, peer=peer.name)]
        if not items:
            return False
        body = json.dumps(
            {
                "from": self.node.name,
                "items": [
                    {"seq": seq, "kind": kind, "payload": base64.b64encode(payload).decode("ascii")}
                    for seq, kind, payload in items
                ],
            }
        ).encode("utf-8")
        headers = sign_request(self.node, peer=peer.name, method="POST", path=PUSH_PATH, body=body)
        headers["Content-Type"] = "application/json"
        response = client.post(peer.url + PUSH_PATH, content=body, headers=headers)
        response.raise_for_status()
        applied = int(response.json()["applied"])
        with unit_of_work(self.sessions) as session:
            link.acknowledge(session, peer=peer.name, seq=applied)
        if applied < items[0][0]:
            raise RuntimeError(f"{peer.name} applied nothing (waiting for seq {applied + 1})")
        return True

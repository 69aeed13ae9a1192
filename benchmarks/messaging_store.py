"""Seal-and-store throughput of the secure channel: messages to 10 recipient agencies into SQLite.

Issue 7 "Speed": sealing and storing must reach 500 messages/s to 10 recipients. This runs the real service
path, ``messaging.service.send`` (recipient resolution, key lookups, sealing for the 10 recipients plus the
sender's own readable copy, inserting the envelope and 10 recipient rows, and the audit event), on a fresh
migrated SQLite file, in two modes:

- one transaction per message, ``service.send`` (each message committed on its own with its own audit
  event: the API's behaviour);
- batched, ``service.send_batch``: 100 messages per transaction, one INSERT per table and one audit event
  listing the 100 message ids (a bulk sender such as a hit-notification run).

It also times ``seal()`` alone for reference. Data is generated (random 2 KB bodies); nothing is read from
../shared/data. Usage: ``python benchmarks/messaging_store.py [--messages 2000] [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

import nacl
from nacl.public import PublicKey
from sqlalchemy import text

from machine import machine
from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.base import utcnow
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.messaging import service
from peacelink.messaging.delivery import Channel
from peacelink.messaging.keystore import current_rows, signing_pair
from peacelink.messaging.publication import ensure_keys, publish
from peacelink.messaging.schemas import MessageCreate
from peacelink.messaging.sealing import seal
from peacelink.nodes.config import build
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

SECRET = b"benchmark-secret"
RECIPIENTS = [f"NCB-R{i:02d}" for i in range(10)]


def prepare(url: str, schema: str | None = None) -> tuple[object, Channel, object]:
    """A migrated database with a sender agency, 10 recipient agencies, their keys, and a sending user."""
    engine = (
        build_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        if schema
        else build_engine(url)
    )
    upgrade(engine)
    sessions = session_factory(engine)
    initialise(sessions, secret_key=SECRET, token_days=1)
    channel = Channel(secret_key=SECRET, node=build(name="bench", secret_key=SECRET))
    with unit_of_work(sessions) as session:
        admin = users.actor_for_username(session, username="admin")
        for index, code in enumerate(["NCB-SND", *RECIPIENTS]):
            country = ["FRA", "DEU", "ESP", "ITA", "PRT", "BEL", "NLD", "AUT", "CHE", "POL", "SWE"][index]
            agencies.create(
                session,
                actor=admin,
                data=AgencyCreate(code=code, name=code, kind=AgencyKind.NCB, country=country),
            )
        created = users.create_unchecked(
            session,
            data=UserCreate(username="sender", agency="NCB-SND", roles=[Role.INVESTIGATOR]),
            secret_key=SECRET,
            token_days=1,
        )
        actor = users.actor_for(created.user)
        ensure_keys(session, ["NCB-SND", *RECIPIENTS], channel=channel)
        publish(session, channel=channel)
    return sessions, channel, actor


def body(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + " ", k=2048))


def run_store(
    sessions: object, channel: Channel, actor: object, *, count: int, batch: int, seed: int
) -> float:
    """Messages per second through service.send, ``batch`` messages per transaction."""
    rng = random.Random(seed)
    datas = [
        MessageCreate(
            recipients=RECIPIENTS, subject=f"bench {i}", body=body(rng), classification="RESTRICTED"
        )
        for i in range(count)
    ]
    start = time.perf_counter()
    for first in range(0, count, batch):
        with unit_of_work(sessions) as session:  # type: ignore[arg-type]
            if batch == 1:
                service.send(session, actor=actor, channel=channel, data=datas[first])  # type: ignore[arg-type]
            else:
                chunk = datas[first : first + batch]
                service.send_batch(session, actor=actor, channel=channel, items=chunk)  # type: ignore[arg-type]
    return count / (time.perf_counter() - start)


def run_seal(sessions: object, channel: Channel, *, count: int, seed: int) -> float:
    """Messages per second through seal() + to_bytes() alone (no database)."""
    rng = random.Random(seed)
    with unit_of_work(sessions) as session:  # type: ignore[arg-type]
        now = utcnow()
        pair = signing_pair(session, "NCB-SND", secret_key=SECRET, at=now)
        rows = current_rows(session, ["NCB-SND", *RECIPIENTS], at=now)
        keys = {code: PublicKey(bytes(row.enc_key)) for code, row in rows.items()}
    bodies = [body(rng) for _ in range(count)]
    start = time.perf_counter()
    for body_text in bodies:
        seal(
            sender_agency="NCB-SND",
            sender_user="sender",
            sender_signing_key=pair.signing_key,
            recipients=keys,
            subject="s",
            body=body_text,
            classification="RESTRICTED",
        ).to_bytes()
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp folder")
    args = parser.parse_args()
    print("machine:", machine(f"PyNaCl {nacl.__version__}", load=True))
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        schema = None
        if url.startswith("postgres"):
            # A private, throw-away schema so the run starts empty and leaves nothing behind.
            schema = f"pl_bench_{os.getpid()}"
            with build_engine(url).begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            run_all(args, url, schema)
        finally:
            if schema:
                with build_engine(url).begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    sys.stdout.flush()


def run_all(args: argparse.Namespace, url: str, schema: str | None) -> None:
    """Prepare the database and print every figure."""
    sessions, channel, actor = prepare(url, schema)
    print(
        f"database: {url.split('://')[0]}; {args.messages} messages x {args.runs} runs; 10 recipients "
        "+ the sender's own copy (11 key wraps); 2 KB bodies"
    )
    for label, batch in (("one transaction per message", 1), ("batched, 100 per transaction", 100)):
        figures = [
            run_store(sessions, channel, actor, count=args.messages, batch=batch, seed=run)
            for run in range(args.runs)
        ]
        print(
            f"seal + store, {label}: median {statistics.median(figures):,.0f} msgs/s "
            f"(runs: {', '.join(f'{f:,.0f}' for f in figures)})"
        )
    figures = [run_seal(sessions, channel, count=args.messages, seed=run) for run in range(args.runs)]
    print(
        f"seal + to_bytes only (no database): median {statistics.median(figures):,.0f} msgs/s "
        f"(runs: {', '.join(f'{f:,.0f}' for f in figures)})"
    )
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Fingerprint database benchmark: bulk enrolment throughput and DB-backed 1:N check latency.

Builds a fresh database (SQLite file by default, or ``--postgres URL``), enrols ``--sizes`` synthetic
templates per run through the bulk enrol path (``fingerprints.service.enrol_many``: ISO record, MCC
encoding, Core INSERT, one audit event), then runs ``--probes`` fingerprint checks through the full check
pipeline (gallery sync, 1:N search, visibility, hits, probe storage, hash-chained audit, commit).

Gallery: ``--mates`` synthetic master fingers (``synthetic.fingers``) plus fast ``synthetic.random_arrays``
fillers; probes are distorted impressions of the masters. Prints its figures and the machine.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/fingerprints_db.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import os
import resource
import secrets
import statistics
import tempfile
import time
import uuid

import numpy as np
from sqlalchemy import text

from machine import machine
from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.fingerprints import gallery, service
from peacelink.fingerprints.lookup import PrintInput
from peacelink.fingerprints.schemas import FingerprintCheck
from peacelink.matching.fingerprints import iso19794_2, synthetic
from peacelink.matching.fingerprints.template import Minutia, Template
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

BATCH = 5000
# A throw-away database: the password only satisfies the sign-in rules, nobody signs in.
PASSWORD = secrets.token_urlsafe(16)


def filler(rng: np.random.Generator) -> Template:
    """A random synthetic finger as a Template (fast: no minimum spacing)."""
    points, directions = synthetic.random_arrays(rng, count=int(rng.integers(30, 55)))
    minutiae = tuple(
        Minutia(
            x=int(min(max(p[0], 0), synthetic.WIDTH - 1)),
            y=int(min(max(-p[1], 0), synthetic.HEIGHT - 1)),
            angle=float(math.degrees(d)) % 360.0,
            kind="ending",
            quality=60,
        )
        for p, d in zip(points.tolist(), directions.tolist(), strict=True)
    )
    return Template(width=synthetic.WIDTH, height=synthetic.HEIGHT, minutiae=minutiae, quality=60)


def as_input(template: Template) -> PrintInput:
    """The bulk path's input: the template and its ISO record (what an import has after parsing)."""
    record = iso19794_2.encode(template)
    return PrintInput(template, record, "template", None, (), hashlib.sha256(record).hexdigest())


def setup_world(url: str, connect_args: dict[str, str]) -> tuple[object, object, object]:
    """Migrate, initialise and create an NCB investigator and a mission officer."""
    engine = build_engine(url, connect_args=connect_args) if connect_args else build_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    initialise(sessions, secret_key=b"benchmark", token_days=1, admin_password=PASSWORD)
    with unit_of_work(sessions) as session:
        admin = users.actor_for_username(session, username="admin")
        agencies.create(
            session,
            actor=admin,
            data=AgencyCreate(code="NCB-UTO", name="NCB", kind=AgencyKind.NCB, country="UTO"),
        )
        agencies.create(
            session,
            actor=admin,
            data=AgencyCreate(
                code="MISSION",
                name="Mission",
                kind=AgencyKind.MISSION,
                area=["UTO"],
                mandate_end=dt.date(2040, 1, 1),
            ),
        )
        actors = []
        for name, agency, role in (
            ("enroller", "NCB-UTO", Role.INVESTIGATOR),
            ("officer", "MISSION", Role.FIELD_OFFICER),
        ):
            created = users.create_unchecked(
                session,
                data=UserCreate(username=name, agency=agency, roles=[role], password=PASSWORD),
                secret_key=b"benchmark",
                token_days=1,
            )
            actors.append(users.actor_for(created.user))
    return engine, actors[0], actors[1]


def run(size: int, *, url: str, connect_args: dict[str, str], mates: int, probes: int) -> None:
    """One database with ``size`` prints: enrolment throughput, then check latency."""
    engine, enroller, officer = setup_world(url, connect_args)
    sessions = session_factory(engine)  # type: ignore[arg-type]
    masters = synthetic.fingers(mates, seed=7)
    rng = np.random.default_rng(size)
    generation_time = 0.0
    enrol_time = 0.0
    enrolled = 0
    while enrolled < size:
        count = min(BATCH, size - enrolled)
        started = time.perf_counter()
        templates = [masters[enrolled + i] if enrolled + i < mates else filler(rng) for i in range(count)]
        inputs = [as_input(t) for t in templates]
        generation_time += time.perf_counter() - started
        items = [
            service.Enrolment(f"B-{enrolled + i}", p, 1 + (enrolled + i) % 10) for i, p in enumerate(inputs)
        ]
        started = time.perf_counter()
        with unit_of_work(sessions) as session:
            service.enrol_many(session, actor=enroller, items=items)  # type: ignore[arg-type]
        enrol_time += time.perf_counter() - started
        enrolled += count
    print(f"\n== {size:,} enrolled prints ({engine.dialect.name}) ==")  # type: ignore[attr-defined]
    print(f"synthetic generation + ISO encoding: {generation_time:.1f} s (not counted below)")
    print(f"bulk enrol (MCC encode + INSERT + audit): {enrol_time:.1f} s = {size / enrol_time:,.0f} prints/s")

    probe_rng = np.random.default_rng(99)
    bodies = [
        FingerprintCheck(
            template=__import__("base64")
            .b64encode(iso19794_2.encode(synthetic.impression(masters[i % mates], probe_rng)))
            .decode()
        )
        for i in range(probes)
    ]
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        gallery.for_session(session).snapshot(session)
    load = time.perf_counter() - started
    print(f"cold gallery load from the database (first check of a process): {load:.1f} s")
    latencies, rank1, hits = [], 0, 0
    for i, body in enumerate(bodies):
        started = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = service.check(session, actor=officer, data=body).to_dict()  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - started)
        candidates = answer.get("candidates") or []
        if candidates and candidates[0]["reference"] == f"B-{i % mates}":
            rank1 += 1
        hits += answer["result"] == "hit"
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, math.ceil(0.95 * len(latencies)) - 1)]
    print(
        f"check, full pipeline, {probes} mated probes: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; mate at rank 1: {rank1}/{probes}, "
        f"hits: {hits}/{probes}"
    )
    # Another process enrols one print: this process's next check reads only the new row (delta path).
    with unit_of_work(sessions) as session:
        service.enrol_many(
            session, actor=enroller, items=[service.Enrolment("LATE", as_input(filler(rng)), 1)]
        )  # type: ignore[arg-type]
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        service.check(session, actor=officer, data=bodies[0])  # type: ignore[arg-type]
    print(
        "first check after one new enrolment (incremental sync): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process so far: {rss:,.0f} MiB")
    engine.dispose()  # type: ignore[attr-defined]


def main() -> None:
    """Parse flags and run each size."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--mates", type=int, default=20)
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--postgres", help="PostgreSQL URL (a private schema is created and dropped)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    for size in args.sizes:
        if args.postgres:
            schema = f"pl_bench_{uuid.uuid4().hex[:8]}"
            admin = build_engine(args.postgres)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                run(
                    size,
                    url=args.postgres,
                    connect_args={"options": f"-csearch_path={schema}"},
                    mates=args.mates,
                    probes=args.probes,
                )
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
        else:
            with tempfile.TemporaryDirectory() as folder:
                run(
                    size,
                    url=f"sqlite:///{folder}/bench.db",
                    connect_args={},
                    mates=args.mates,
                    probes=args.probes,
                )


if __name__ == "__main__":
    main()

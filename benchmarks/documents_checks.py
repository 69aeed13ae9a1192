"""SLTD/SMV benchmark: bulk import speed, in-process check latency, HTTP throughput, server memory.

Builds its own synthetic data set (seeded): documents spread over four NCBs, a share of blank ranges, and
vehicles; imports them with the same code path as ``peacelink documents import``; then times checks
in-process (full pipeline: lookup, access filter, hits, audit, commit) and over HTTP with 32 concurrent
clients against a uvicorn server in a separate process.

    python benchmarks/documents_checks.py --documents 1000000 --vehicles 100000
    python benchmarks/documents_checks.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fresh_db import fresh_database
from machine import machine
from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.checks import service as checks
from peacelink.checks.bulk_import import import_stream
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents.importer import SPEC as DOCUMENTS
from peacelink.documents.schemas import DocumentCheck
from peacelink.settings import Settings
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate
from peacelink.vehicles.importer import SPEC as VEHICLES

COUNTRIES = ("UTO", "CAF", "FRA", "KEN")
SECRET = b"benchmark-secret"
ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def number(rng: random.Random, index: int) -> str:
    """A document number: two letters then seven characters, unique by construction via the index."""
    return rng.choice(ALPHABET[:23]) + rng.choice(ALPHABET[:23]) + f"{index:07d}"[-7:] + rng.choice(ALPHABET)


def write_documents(path: Path, country: str, count: int, seed: int) -> list[str]:
    """Write ``count`` document rows for ``country``; return a sample of their numbers."""
    rng = random.Random(seed)
    sample: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "issuing_country",
                "document_type",
                "number",
                "status",
                "reported_at",
                "place",
                "holder_name",
                "holder_birth_date",
                "action",
                "range_end",
            ]
        )
        for index in range(count):
            doc = number(rng, index + seed * 10_000_000)
            if index % 1000 == 0:
                # One report in a thousand is a range of 500 stolen blanks.
                writer.writerow(
                    [
                        country,
                        "passport",
                        f"BL{index:08d}",
                        "stolen_blank",
                        "2024-03-01",
                        "Depot",
                        "",
                        "",
                        "Seize; blank document",
                        f"BL{index + 499:08d}",
                    ]
                )
            else:
                writer.writerow(
                    [
                        country,
                        rng.choice(("passport", "identity_card", "visa")),
                        doc,
                        rng.choice(("stolen", "lost", "revoked")),
                        "2023-05-17",
                        "Capital",
                        "DOE JOHN",
                        "1980-01-01",
                        "Seize the document",
                    ]
                )
                if index % max(1, count // 500) == 1:
                    sample.append(doc)
    return sample


def write_vehicles(path: Path, count: int, seed: int) -> list[str]:
    """Write ``count`` vehicle rows (plates only, plus valid European-style VINs); return sample plates."""
    rng = random.Random(seed)
    sample: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["vin", "plate", "plate_country", "make", "model", "year", "colour", "status"])
        for index in range(count):
            plate = f"{rng.choice(ALPHABET[:23])}{rng.choice(ALPHABET[:23])}{index:07d}"
            writer.writerow(["", plate, "UTO", "Toyota", "Hilux", 2015, "white", "stolen"])
            if index % max(1, count // 200) == 0:
                sample.append(plate)
    return sample


def spread_queries(workdir: Path, count: int, fallback: list[str], seed: int = 7) -> list[str]:
    """``count`` check numbers spread over the whole index: half present, half absent, interleaved.

    The present half is a uniform sample of every document number in the imported UTO file (read back from
    the workdir), the absent half has the same format with random letters and digits, so each check lands on
    its own leaf page of the index, as a stream of real checks would, and the figures include reading pages
    that are not cached. Without the file (a database built elsewhere) the import's 500 saved numbers serve.
    """
    rng = random.Random(seed)
    half = (count + 1) // 2
    path = workdir / "documents-UTO.csv"
    present: list[str] = []
    if path.exists():
        seen = 0
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["range_end"]:
                    continue  # blank ranges are checked by numbers inside them, not their first number
                seen += 1
                if len(present) < half:
                    present.append(row["number"])
                elif (slot := rng.randrange(seen)) < half:
                    present[slot] = row["number"]  # reservoir sampling: every number equally likely
        rng.shuffle(present)
    else:
        present = [rng.choice(fallback) for _ in range(half)]
    absent = [number(rng, rng.randrange(10**7)) + "Q" for _ in range(half)]  # 11 characters: never stored
    return [value for pair in zip(present, absent, strict=True) for value in pair][:count]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start ``peacelink serve`` (the product's own server command) in a separate process."""
    env = {**os.environ, "PEACELINK_DATABASE_URL": url, "PEACELINK_SECRET_KEY": SECRET.decode()}
    command = [str(Path(sys.executable).with_name("peacelink")), "serve", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def memory_mib(pid: int) -> tuple[float, float, float]:
    """Memory of a process and its children, in MiB: peak resident (VmHWM), resident now (VmRSS), and of
    that the process's own memory (RssAnon). With SQLite's memory map, VmRSS and VmHWM also count the
    database pages the server has read, which are the operating system's shared, reclaimable page cache."""
    totals = {"VmHWM": 0, "VmRSS": 0, "RssAnon": 0}
    for proc in [pid, *_children(pid)]:
        for line in Path(f"/proc/{proc}/status").read_text().splitlines():
            name = line.split(":", 1)[0]
            if name in totals:
                totals[name] += int(line.split()[1])
    return totals["VmHWM"] / 1024, totals["VmRSS"] / 1024, totals["RssAnon"] / 1024


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def wrk_load(
    port: int, token: str, samples: list[str], seconds: float, clients: int, workdir: Path
) -> dict[str, float]:
    """Run wrk (C, one thread: it leaves the server the most CPU) against the check route."""
    bodies = ",".join(json.dumps(json.dumps({"issuing_country": "UTO", "number": n})) for n in samples)
    script = workdir / "checks.lua"
    script.write_text(
        f"local bodies = {{{bodies}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("POST", "/api/v1/checks/documents", {["Content-Type"] = "application/json", '
        f'["Authorization"] = "Bearer {token}"}}, bodies[(i % #bodies) + 1])\nend\n'
        "local shown = 0\n"
        "response = function(status, headers, body)\n"
        '  if status ~= 200 and shown < 3 then shown = shown + 1; print("error", status, body) end\nend\n'
    )
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{seconds:.0f}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for share in ("50", "90", "99"):
        value, unit = re.search(rf"\s{share}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        figures[f"p{share}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = float(errors.group(1)) if errors else 0.0
    for line in out.splitlines():
        if line.startswith("error"):
            print("  wrk saw:", line[:300])
    return figures


async def http_load(port: int, token: str, samples: list[str], seconds: float, clients: int) -> list[float]:
    """Run ``clients`` concurrent clients for ``seconds``; return each request's latency."""
    import httpx

    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        limits=limits,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:

        async def worker(offset: int) -> None:
            index = offset
            while time.perf_counter() < deadline:
                value = samples[index % len(samples)]
                index += clients
                start = time.perf_counter()
                response = await client.post(
                    "/api/v1/checks/documents", json={"issuing_country": "UTO", "number": value}
                )
                latencies.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text

        await asyncio.gather(*(worker(i) for i in range(clients)))
    return latencies


def build(args: argparse.Namespace) -> tuple[str, str, list[str]]:
    """Create the database, the agencies and users, generate and import the data.

    Returns the database URL, the field officer's API token and sample present numbers.
    """
    url = fresh_database(args.database_url, args.workdir)
    engine = build_engine(url)
    print(f"database: {engine.dialect.name}")
    upgrade(engine)
    sessions = session_factory(engine)
    init = initialise(sessions, secret_key=SECRET, token_days=30)
    accounts = {}
    with unit_of_work(sessions) as session:
        admin_actor = users.actor_for_username(session, username="admin")
        for code in COUNTRIES:
            agencies.create(
                session,
                actor=admin_actor,
                data=AgencyCreate(code=f"NCB-{code}", name=f"NCB {code}", kind=AgencyKind.NCB, country=code),
            )
        agencies.create(
            session,
            actor=admin_actor,
            data=AgencyCreate(
                code="MISSION",
                name="Mission",
                kind=AgencyKind.MISSION,
                area=["CAF"],
                mandate_end=__import__("datetime").date(2030, 1, 1),
            ),
        )
        for code in COUNTRIES:
            created = users.create_unchecked(
                session,
                data=UserCreate(
                    username=f"inv-{code.lower()}", agency=f"NCB-{code}", roles=[Role.INVESTIGATOR]
                ),
                secret_key=SECRET,
                token_days=30,
            )
            accounts[code] = users.actor_for(created.user)
        officer = users.create_unchecked(
            session,
            data=UserCreate(username="officer", agency="MISSION", roles=[Role.FIELD_OFFICER]),
            secret_key=SECRET,
            token_days=30,
        )
        officer_token = officer.token
    del init

    # --- data files ---
    start = time.perf_counter()
    per_country = args.documents // len(COUNTRIES)
    samples: dict[str, list[str]] = {}
    files = {}
    for seed, code in enumerate(COUNTRIES, start=1):
        path = args.workdir / f"documents-{code}.csv"
        samples[code] = write_documents(path, code, per_country, seed)
        files[code] = path
    vehicle_file = args.workdir / "vehicles.csv"
    write_vehicles(vehicle_file, args.vehicles, 99)
    print(
        f"generated {per_country * len(COUNTRIES):,} documents, {args.vehicles:,} vehicles in "
        f"{time.perf_counter() - start:.1f} s"
    )

    # --- import ---
    start = time.perf_counter()
    total = 0
    for code, path in files.items():
        with path.open(encoding="utf-8", newline="") as handle:
            report = import_stream(
                sessions,
                actor=accounts[code],
                spec=DOCUMENTS,
                stream=handle,
                fmt="csv",
                source=path.name,
                batch_size=args.batch_size,
            )
        assert report.rejected_count == 0, report.rejected[:3]
        total += report.inserted
    elapsed = time.perf_counter() - start
    print(
        f"document import: {total:,} rows in {elapsed:.1f} s = {total / elapsed:,.0f} rows/s "
        f"(10M extrapolated linearly: {10_000_000 / (total / elapsed) / 60:.1f} min)"
    )
    start = time.perf_counter()
    with files["UTO"].open(encoding="utf-8", newline="") as handle:
        again = import_stream(
            sessions,
            actor=accounts["UTO"],
            spec=DOCUMENTS,
            stream=handle,
            fmt="csv",
            source="again",
            batch_size=args.batch_size,
        )
    print(
        f"re-import of the UTO file: {again.inserted} new, {again.duplicates:,} duplicates skipped in "
        f"{time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    with vehicle_file.open(encoding="utf-8", newline="") as handle:
        vreport = import_stream(
            sessions,
            actor=accounts["UTO"],
            spec=VEHICLES,
            stream=handle,
            fmt="csv",
            source="vehicles.csv",
            batch_size=args.batch_size,
        )
    elapsed = time.perf_counter() - start
    print(f"vehicle import: {vreport.inserted:,} rows in {elapsed:.1f} s")

    engine.dispose()
    return url, officer_token, samples["UTO"]


def in_process(sessions: Any, officer: Any, queries: list[str]) -> None:
    """Time full in-process checks (one transaction each, as the API does), then the look-up alone.

    Like ``peacelink serve``, the process first moves what it has built so far out of the garbage
    collector's view (``gc.freeze``).
    """
    gc.collect()
    gc.freeze()
    latencies = []
    hits = 0
    for value in queries:
        start = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = checks.check_document(
                session, actor=officer, data=DocumentCheck(issuing_country="UTO", number=value)
            )
        latencies.append(time.perf_counter() - start)
        hits += answer.result == "hit"
    print(
        f"in-process document check (lookup + access + hits + audit + commit), {len(latencies)} checks, "
        f"{hits} hits: p50 {statistics.median(latencies) * 1000:.3f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.3f} ms"
    )
    lookups = []
    from peacelink.documents.lookup import normalise

    with unit_of_work(sessions) as session:
        for value in queries:
            start = time.perf_counter()
            checks.DOCUMENTS.look_up(session, normalise(DocumentCheck(issuing_country="UTO", number=value)))
            lookups.append(time.perf_counter() - start)
    print(
        f"in-process lookup only (normalise + indexed query): "
        f"p50 {statistics.median(lookups) * 1000:.3f} ms, "
        f"p99 {percentile(lookups, 0.99) * 1000:.3f} ms"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--vehicles", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in --workdir")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "peacelink-bench")
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--checks", type=int, default=3000, help="in-process checks to time")
    parser.add_argument("--http-seconds", type=float, default=15.0, help="0 skips the HTTP run")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database of an earlier run in --workdir (skip the import)",
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes (peacelink serve --workers)")
    parser.add_argument(
        "--load",
        choices=("wrk", "httpx"),
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator: wrk (apt install wrk) or a Python httpx client, which needs far more CPU",
    )
    parser.add_argument(
        "--queries",
        choices=("spread", "narrow"),
        default="spread",
        help="spread: numbers sampled over the whole index, half present, half absent (each check reads its "
        "own pages); narrow: the earlier sessions' set, 500 saved present numbers and absent ones that all "
        "sort at the index's end (after a few hundred checks every page they read is cached)",
    )
    args = parser.parse_args()

    print(f"machine: {machine()}")
    run_file = args.workdir / "run.json"
    if args.reuse and run_file.exists():
        saved = json.loads(run_file.read_text())
        url, officer_token, present = saved["url"], saved["token"], saved["samples"]
        print(f"reusing the database and accounts of an earlier run: {url}")
    else:
        url, officer_token, present = build(args)
        run_file.write_text(json.dumps({"url": url, "token": officer_token, "samples": present}))
    # The measured engine takes PEACELINK_SQLITE_MMAP_MB like the server does (the served run inherits it).
    mmap_mb = Settings().sqlite_mmap_mb
    print(f"SQLite memory map: {mmap_mb} MiB")
    engine = build_engine(url, mmap_mb=mmap_mb)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        officer_actor = users.actor_for_username(session, username="officer")

    # --- in-process checks (full pipeline, one transaction each, as the API does) ---
    # Half present, half absent numbers; the HTTP run cycles through the same list.
    if args.queries == "spread":
        queries = spread_queries(args.workdir, max(args.checks, 5000), present)
    else:
        rng = random.Random(7)
        queries = [
            rng.choice(present) if i % 2 == 0 else f"ZZ{rng.randrange(10**7):07d}Q"
            for i in range(max(args.checks, 1000))
        ]
    print(f"queries: {args.queries}, {len(set(queries)):,} distinct numbers")
    if args.checks > 0:
        in_process(sessions, officer_actor, queries[: args.checks])
    engine.dispose()

    # --- HTTP ---
    if args.http_seconds > 0:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", args.port)) == 0:
                raise SystemExit(f"port {args.port} is taken: stop what listens there or pass --port")
        server = run_server(url, args.port, args.workers)
        try:
            import httpx

            for _ in range(150):
                try:
                    if httpx.get(f"http://127.0.0.1:{args.port}/api/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            time.sleep(2 if args.workers > 1 else 0)  # let every worker finish starting
            if server.poll() is not None:
                raise SystemExit(f"the server exited (is port {args.port} taken?)")
            if args.load == "wrk":
                # A short warm-up (statement caches, connection pools) that is not counted.
                wrk_load(args.port, officer_token, queries, 3, args.clients, args.workdir)
                figures = wrk_load(
                    args.port, officer_token, queries, args.http_seconds, args.clients, args.workdir
                )
            else:
                latencies = asyncio.run(
                    http_load(args.port, officer_token, queries, args.http_seconds, args.clients)
                )
                figures = {
                    "rate": len(latencies) / args.http_seconds,
                    "p50": statistics.median(latencies) * 1000,
                    "p90": percentile(latencies, 0.90) * 1000,
                    "p99": percentile(latencies, 0.99) * 1000,
                    "errors": 0.0,
                }
            peak, resident, own = memory_mib(server.pid)
        finally:
            server.terminate()
            server.wait()
        print(
            f"HTTP ({args.load}, {args.clients} connections, {args.workers} server process(es), "
            f"{args.http_seconds:.0f} s): {figures['rate']:,.0f} checks/s; p50 {figures['p50']:.1f} ms, "
            f"p90 {figures['p90']:.1f} ms, p99 {figures['p99']:.1f} ms; {figures['errors']:.0f} errors; "
            f"server memory: peak RSS {peak:.0f} MiB, RSS {resident:.0f} MiB of which {own:.0f} MiB its own "
            "(the rest: mapped database pages of the page cache); load generator and server share the machine"
        )
    if url.startswith("sqlite"):
        size = sum(p.stat().st_size for p in args.workdir.glob("bench.db*"))
        print(f"SQLite file: {size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()

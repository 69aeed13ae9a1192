"""Persons database benchmark: import throughput, in-process person-check latency, HTTP throughput.

Builds a synthetic population (seeded) with the crowd generator of ``names_accuracy.py`` (2-4 name parts
drawn by frequency from the Wikidata Arabic/Russian transliteration dictionaries, Latin spellings and
original script) plus the UN-list individuals of ../shared/data/names (all their variants as names), writes
it as JSON Lines, imports it with the real importer (``persons.importer.import_stream``, the code path of
``peacelink persons import``), then times person checks through the whole pipeline in-process and over
HTTP: the app as ``peacelink serve --workers N`` runs it, loaded by wrk (/usr/bin/wrk) with a Lua script
that POSTs the queries with a bearer token, at each connection count of ``--clients``; wrk shares the cores.

Queries: half are UN-list variants (the person is in the database: mostly candidates, many hits), half
fresh crowd-like names that are not in the database; half of each carry a year of birth.

    python benchmarks/persons_checks.py --persons 100000
    python benchmarks/persons_checks.py --persons 1000000 --workdir /tmp/persons1m --skip-reimport \
        --checks 0 --http-seconds 0                                              # build once
    python benchmarks/persons_checks.py --workdir /tmp/persons1m --reuse --checks 1000 --http-seconds 0
    python benchmarks/persons_checks.py --workdir /tmp/persons1m --reuse --checks 0 --http-seconds 20 \
        --clients 8,32 --workers 2
    python benchmarks/persons_checks.py --database-url postgresql://postgres@127.0.0.1:5432/test

``--warmup-seconds S`` first loads the fresh server for S seconds with other queries (crowd-like names drawn
with another seed than the measured ones), so that the measured runs find the caches a server
that has been checking for a while has (the name-part cache, SQLite's pages), not those of one just started;
without it, the figures are of the first seconds of a server.

``--reuse`` keeps the database, tokens and queries of an earlier run in ``--workdir`` (its ``state.json``)
and only measures, so code changes can be timed on the same 1M-person database without importing it again
(22 minutes on this machine, busy).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))
from documents_checks import memory_mib
from fresh_db import fresh_database
from machine import machine
from names_accuracy import DEFAULT_DATA, CrowdMaker, load_listed
from peacelink.access import Actor, AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.gc_policy import Freezer
from peacelink.matching.names import PersonQuery
from peacelink.persons import keys as person_keys
from peacelink.persons.check_input import normalise
from peacelink.persons.importer import import_stream
from peacelink.persons.lookup import PERSONS, check_person
from peacelink.persons.retrieval import retrieve, shortlist_statement
from peacelink.persons.schemas import PersonCheck
from peacelink.settings import Settings
from peacelink.setup import initialise
from peacelink.users import service as users
from peacelink.users.schemas import UserCreate

SECRET = b"benchmark-secret"
NATIONALITIES = ("IRQ", "SYR", "AFG", "SOM", "SDN", "LBY", "YEM", "MLI", "NER", "TCD", "CAF", "RUS", "UKR")


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def write_population(
    path: Path, persons: int, data: Path, seed: int
) -> tuple[list[dict[str, object]], float]:
    """Write the population as JSON Lines; return the check queries and the generation time."""
    rng = random.Random(seed)
    started = time.perf_counter()
    listed = load_listed(data / "un_sc_consolidated_2018-10-29" / "name_variants.csv")
    crowd = CrowdMaker(listed, data, rng)
    queries: list[dict[str, object]] = []
    with path.open("w", encoding="utf-8") as handle:
        for person in listed:
            names = list(dict.fromkeys(t for _, t in person.variants))[:30]
            row = {
                "reference": f"UN-{person.ref}",
                "names": [{"name": n, "kind": "primary" if i == 0 else "alias"} for i, n in enumerate(names)],
                "dates_of_birth": [d for d in person.dobs if len(d) in (4, 7, 10) and d[:4].isdigit()][:10],
                "crime_areas": ["terrorism"],
                "warnings": ["armed"],
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        for number in range(max(0, persons - len(listed))):
            member = crowd.person(number)
            row = {
                "reference": f"C-{number}",
                "names": list(member.names),
                "sex": member.sex,
                "dates_of_birth": list(member.dates_of_birth),
                "nationalities": [rng.choice(NATIONALITIES)],
                "crime_areas": [rng.choice(["fugitives", "drugs", "other"])],
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    for index in range(2000):
        if index % 2 == 0:
            person = rng.choice(listed)
            query: dict[str, object] = {"names": [rng.choice(person.variants)[1]], "_ref": f"UN-{person.ref}"}
            if index % 4 == 0 and person.dobs and person.dobs[0][:4].isdigit():
                query["date_of_birth"] = person.dobs[0][:4]
        else:
            member = crowd.person(10_000_000 + index)
            query = {"names": [member.names[0]]}
            if index % 4 == 1:
                query["date_of_birth"] = member.dates_of_birth[0][:4]
        queries.append(query)
    return queries, time.perf_counter() - started


def setup(url: str) -> tuple[object, dict[str, str]]:
    """Migrate, create the network and the benchmark users; return (engine, tokens by role)."""
    engine = build_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    initialise(sessions, secret_key=SECRET, token_days=30, admin_password="benchmark-admin-pass")  # noqa: S106 - throwaway database
    tokens: dict[str, str] = {}
    with unit_of_work(sessions) as session:
        admin = users.actor_for_username(session, username="admin")
        agencies.create(
            session,
            actor=admin,
            data=AgencyCreate(code="NCB-UTO", name="NCB", kind=AgencyKind.NCB, country="UTO"),
        )
        agencies.create(
            session, actor=admin, data=AgencyCreate(code="UNPOL", name="UNPOL", kind=AgencyKind.INTERNATIONAL)
        )
        for username, agency, role in (
            ("owner", "NCB-UTO", Role.INVESTIGATOR),
            ("officer", "UNPOL", Role.FIELD_OFFICER),
        ):
            created = users.create_unchecked(
                session,
                data=UserCreate(
                    username=username,
                    agency=agency,
                    roles=[role],
                    password="benchmark-password",  # noqa: S106
                ),
                secret_key=SECRET,
                token_days=30,
            )
            tokens[username] = created.token
    return engine, tokens


def run_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start ``peacelink serve --workers N``, the product's own server command, in a subprocess.

    It serves what an operator runs: a socket per worker (``SO_REUSEPORT``, so the connections are shared
    out evenly) and the start-up objects frozen out of the garbage collector's view. It refuses a database
    that is not at the newest migration: ``main`` upgrades a reused one first.
    """
    env = {
        **os.environ,
        "PEACELINK_DATABASE_URL": url,
        "PEACELINK_SECRET_KEY": "bench-secret-key-xxxxxxxxxxxx",
        "PEACELINK_COOKIE_SECURE": "false",
    }
    command = [str(Path(sys.executable).with_name("peacelink")), "serve", "--port", str(port)]
    return subprocess.Popen([*command, "--workers", str(workers)], env=env)


def load_state(workdir: Path) -> dict[str, object] | None:
    """The database URL, tokens and queries of an earlier run in ``workdir``, if it finished importing."""
    path = workdir / "state.json"
    if not path.exists():
        return None
    state: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return state


class ImportPace:
    """Progress callback of the import: prints the rate of each slice of ``every`` rows, so that a slowdown
    as the tables grow (index pages no longer in memory) shows where it starts."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.done = 0
        self.started = self.mark = time.perf_counter()
        self.mark_done = 0

    def __call__(self, rows: int) -> None:
        self.done += rows
        if self.done - self.mark_done >= self.every:
            now = time.perf_counter()
            print(
                f"  imported {self.done:,} in {now - self.started:.0f} s: "
                f"{(self.done - self.mark_done) / (now - self.mark):,.0f} rows/s over the last "
                f"{self.done - self.mark_done:,}",
                flush=True,
            )
            self.mark, self.mark_done = now, self.done


def build(args: argparse.Namespace) -> tuple[str, dict[str, str], list[dict[str, object]]]:
    """Create the database, write and import the population; return (url, tokens, queries)."""
    url = fresh_database(args.database_url, args.workdir)
    engine, tokens = setup(url)
    sessions = session_factory(engine)  # type: ignore[arg-type]

    population = args.workdir / "persons.jsonl"
    queries, generated = write_population(population, args.persons, args.data, args.seed)
    print(
        f"population: {args.persons:,} persons written in {generated:.1f} s "
        f"({population.stat().st_size / 2**20:.0f} MiB JSONL)"
    )
    with unit_of_work(sessions) as session:
        owner = users.actor_for_username(session, username="owner")
    started = time.perf_counter()
    with population.open(encoding="utf-8") as handle:
        report = import_stream(
            sessions,
            actor=owner,
            stream=handle,
            fmt="jsonl",
            source="bench",
            batch_size=args.batch_size,
            progress=ImportPace(max(args.persons // 10, args.batch_size)),
        )
    took = time.perf_counter() - started
    with engine.connect() as connection:  # type: ignore[attr-defined]
        n = person_keys.population(connection)
        key_rows = connection.execute(text("SELECT count(*) FROM person_name_keys")).scalar_one()
        distinct = connection.execute(text("SELECT count(*) FROM person_key_counts")).scalar_one()
    print(
        f"import: {report.inserted:,} inserted, {report.rejected_count} rejected, in {took:.1f} s = "
        f"{report.inserted / took:,.0f} persons/s; {key_rows:,} key rows "
        f"({key_rows / max(n, 1):.1f}/person), "
        f"{distinct:,} distinct keys, N = {n:,}"
    )
    if report.rejected:
        print("  first rejections:", report.rejected[:3])
    if not args.skip_reimport:
        started = time.perf_counter()
        with population.open(encoding="utf-8") as handle:
            again = import_stream(
                sessions, actor=owner, stream=handle, fmt="jsonl", source="bench", batch_size=args.batch_size
            )
        print(
            f"re-import (idempotent): {again.inserted} new, {again.duplicates:,} skipped "
            f"in {time.perf_counter() - started:.1f} s"
        )
    engine.dispose()  # type: ignore[attr-defined]
    state = {"url": url, "tokens": tokens, "queries": queries, "persons": args.persons}
    (args.workdir / "state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    return url, tokens, queries


def wrk_load(
    port: int, token: str, queries: list[dict[str, object]], seconds: float, clients: int, workdir: Path
) -> str:
    """Run wrk with a Lua script cycling through the queries; return its report."""
    bodies = ",\n".join(json.dumps(json.dumps(q, ensure_ascii=False), ensure_ascii=False) for q in queries)
    script = workdir / "persons.lua"
    script.write_text(
        "local bodies = {\n" + bodies + "\n}\n"
        "local i = 0\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(nil, '/api/v1/checks/persons', nil, bodies[(i % #bodies) + 1])\nend\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('non-2xx/3xx: %d\\n', summary.errors.status))\nend\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            "/usr/bin/wrk",
            "-t2",
            f"-c{clients}",
            f"-d{int(seconds)}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def warmup_queries(data: Path, seed: int, count: int) -> list[dict[str, object]]:
    """The ``--warmup-seconds`` queries: crowd-like names drawn with another seed than the population's and
    the measured queries', as a server may be asked; half carry a year of birth, as the fresh half of the
    measured queries do."""
    listed = load_listed(data / "un_sc_consolidated_2018-10-29" / "name_variants.csv")
    crowd = CrowdMaker(listed, data, random.Random(seed + 1_000_003))
    out: list[dict[str, object]] = []
    for index in range(count):
        member = crowd.person(20_000_000 + index)
        query: dict[str, object] = {"names": [member.names[0]]}
        if index % 2 and member.dates_of_birth:
            query["date_of_birth"] = member.dates_of_birth[0][:4]
        out.append(query)
    return out


def explain(engine: object, query: PersonQuery) -> str:
    """The plan of the shortlist query for one query (proof that it reads only its keys)."""
    with engine.connect() as connection:  # type: ignore[attr-defined]
        found = retrieve(connection, query)
        if not found.weights:
            return "(no keys)"
        sql = shortlist_statement(found.weights).compile(connection, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
        return " | ".join(str(r[-1]) for r in connection.execute(text(f"{prefix}{sql}")))


def milliseconds(values: list[float]) -> str:
    """p50 / p95 / p99 / mean of durations in seconds, as milliseconds."""
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms, "
        f"p99 {percentile(values, 0.99) * 1000:.1f} ms, mean {statistics.fmean(values) * 1000:.1f} ms"
    )


def in_process(
    sessions: sessionmaker[Session], officer: Actor, queries: list[dict[str, object]], checks: int
) -> None:
    """Time the whole pipeline (keys, shortlist, scoring, access, hits, audit, commit) and the look-up."""
    for query in queries[:20]:  # warm the part caches as a running server would be
        with unit_of_work(sessions) as session:
            check_person(
                session,
                actor=officer,
                data=PersonCheck.model_validate({k: v for k, v in query.items() if k != "_ref"}),
            )
    # Like ``peacelink serve``: what start-up built is moved out of the garbage collector's view.
    gc.collect()
    gc.freeze()
    freezer = Freezer()
    latencies: list[float] = []
    lookups: list[float] = []
    hits = candidates = listed = top1 = found = 0
    for index in range(checks):
        query = queries[(20 + index) % len(queries)]
        data = PersonCheck.model_validate({k: v for k, v in query.items() if k != "_ref"})
        if (index // 4) % 2:
            # Every other run of four queries times the look-up alone, on queries no earlier step has seen
            # (timing it right after the same query's full check would find the name caches warm for it).
            # Runs of four, because the query list repeats its kinds every four (listed with a year of
            # birth, fresh with one, listed, fresh): with pairs, every full check had a year of birth and no
            # look-up had one, and the look-up alone seemed 40% faster than it is.
            with unit_of_work(sessions) as session:
                start = time.perf_counter()
                PERSONS.look_up(session, normalise(data))
                lookups.append(time.perf_counter() - start)
            continue
        start = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = check_person(session, actor=officer, data=data)
        freezer.tick()  # as the server does after each request; its pause is counted in this check's time
        latencies.append(time.perf_counter() - start)
        hits += answer.result == "hit"
        candidates += bool(answer.candidates)
        if "_ref" in query:
            refs = [c.fields["person"]["reference"] for c in answer.candidates or []]
            listed += 1
            top1 += bool(refs) and refs[0] == query["_ref"]
            found += query["_ref"] in refs
    print(
        f"in-process person check, full pipeline, {len(latencies)} checks ({hits} with a hit, "
        f"{candidates} with candidates): {milliseconds(latencies)}"
    )
    print(
        f"in-process look-up only (keys + shortlist + load + score), the other {len(lookups)} queries: "
        f"{milliseconds(lookups)}"
    )
    print(
        f"listed-person queries (the variant itself is stored): {listed}; "
        f"right person first {top1 / max(listed, 1):.3f}, "
        f"among the candidates {found / max(listed, 1):.3f}"
    )


def over_http(url: str, token: str, queries: list[dict[str, object]], args: argparse.Namespace) -> None:
    """Serve the app (``--workers`` processes) and load it with wrk at each ``--clients`` count."""
    import httpx

    server = run_server(url, args.port, args.workers)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{args.port}/api/v1/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        headers = {"Authorization": f"Bearer {token}"}
        for query in queries[:20]:
            httpx.post(
                f"http://127.0.0.1:{args.port}/api/v1/checks/persons", json=query, headers=headers, timeout=30
            )
        if not Path("/usr/bin/wrk").exists():
            print("wrk not installed: HTTP run skipped")
            return
        if args.warmup_seconds > 0:
            warm = warmup_queries(args.data, args.seed, len(queries))
            out = wrk_load(args.port, token, warm, args.warmup_seconds, 32, args.workdir)
            rate = next((line.split()[-1] for line in out.splitlines() if "Requests/sec" in line), "?")
            print(
                f"warm-up: {int(args.warmup_seconds)} s of {len(warm):,} other crowd-like queries "
                f"(32 connections, not counted): {rate} checks/s"
            )
        for clients in (int(c) for c in str(args.clients).split(",")):
            out = wrk_load(args.port, token, queries, args.http_seconds, clients, args.workdir)
            print(
                f"HTTP (wrk -t2 -c{clients} -d{int(args.http_seconds)}s, {args.workers} server process(es), "
                "client and server share the cores; load average "
                f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}):"
            )
            print("  " + "\n  ".join(line for line in out.splitlines() if line.strip()))
        peak, resident, own = memory_mib(server.pid)
        print(
            f"server memory (all processes): peak RSS {peak:.0f} MiB, RSS {resident:.0f} MiB of which "
            f"{own:.0f} MiB its own (the rest: mapped database pages of the page cache)"
        )
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in --workdir")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "peacelink-persons-bench"
    )
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument(
        "--checks",
        type=int,
        default=1000,
        help="in-process queries: half through the full pipeline, half the look-up alone; 0 skips the run",
    )
    parser.add_argument("--http-seconds", type=float, default=15.0, help="0 skips the HTTP run")
    parser.add_argument("--clients", default="8,32", help="wrk connections, comma-separated runs")
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=0.0,
        help="load the server this long with other crowd-like queries before the measured HTTP runs",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the database of --workdir again")
    parser.add_argument("--skip-reimport", action="store_true", help="do not time the idempotent re-import")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=1, help="server processes (peacelink serve --workers)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"machine: {machine(load=True)}")
    state = load_state(args.workdir) if args.reuse else None
    if state is None:
        url, tokens, queries = build(args)
    else:
        url = str(state["url"])
        tokens = state["tokens"]  # type: ignore[assignment]
        queries = state["queries"]  # type: ignore[assignment]
        print(f"reusing the database of {args.workdir} ({state['persons']:,} persons)")
        reused = build_engine(url)
        upgrade(reused)  # a database kept from an older commit gets its newer migrations, as on a server
        reused.dispose()
    # The measured engine takes PEACELINK_SQLITE_MMAP_MB like the server does (the served run inherits it).
    mmap_mb = Settings().sqlite_mmap_mb
    print(f"SQLite memory map: {mmap_mb} MiB")
    engine = build_engine(url, mmap_mb=mmap_mb)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        officer = users.actor_for_username(session, username="officer")
    print("shortlist plan:", explain(engine, PersonQuery(names=["Mohamed Al-Hashimi"])))

    if args.checks > 0:
        in_process(sessions, officer, queries, args.checks)
    engine.dispose()
    if args.http_seconds > 0:
        over_http(
            url, tokens["officer"], [{k: v for k, v in q.items() if k != "_ref"} for q in queries], args
        )
    if url.startswith("sqlite"):
        size = sum(p.stat().st_size for p in args.workdir.glob("bench.db*"))
        print(f"SQLite file: {size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()

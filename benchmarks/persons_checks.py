"""Persons database benchmark: import throughput, in-process person-check latency, HTTP throughput.

Builds a synthetic population (seeded) with the crowd generator of ``names_accuracy.py`` (2-4 name parts
drawn by frequency from the Wikidata Arabic/Russian transliteration dictionaries, Latin spellings and
original script) plus the UN-list individuals of ../shared/data/names (all their variants as names), writes
it as JSON Lines, imports it with the real importer (``persons.importer.import_stream``, the code path of
``peacelink persons import``), then times person checks through the whole pipeline in-process and over
HTTP (wrk with a Lua script when /usr/bin/wrk exists, else httpx; the load generator shares the cores).

Queries: half are UN-list variants (the person is in the database: mostly candidates, many hits), half
fresh crowd-like names that are not in the database; half of each carry a year of birth.

    python benchmarks/persons_checks.py --persons 100000
    python benchmarks/persons_checks.py --persons 1000000 --http-seconds 20
    python benchmarks/persons_checks.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine
from names_accuracy import DEFAULT_DATA, CrowdMaker, load_listed
from peacelink.access import AgencyKind, Role
from peacelink.agencies import service as agencies
from peacelink.agencies.schemas import AgencyCreate
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.migrate import upgrade
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import PersonQuery
from peacelink.persons import keys as person_keys
from peacelink.persons.importer import import_stream
from peacelink.persons.lookup import PERSONS, check_person, normalise, retrieve, shortlist_statement
from peacelink.persons.schemas import PersonCheck
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


def run_server(url: str, port: int) -> subprocess.Popen[bytes]:
    """Start uvicorn with the app in a separate process."""
    code = (
        "import uvicorn; from peacelink.api.app import create_app; from peacelink.settings import Settings; "
        f"app = create_app(Settings(database_url={url!r}, secret_key='bench-secret-key-xxxxxxxxxxxx', "
        "cookie_secure=False)); "
        f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning', access_log=False)"
    )
    return subprocess.Popen([sys.executable, "-c", code])


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


def explain(engine: object, query: PersonQuery) -> str:
    """The plan of the shortlist query for one query (proof that it reads only its keys)."""
    with engine.connect() as connection:  # type: ignore[attr-defined]
        found = retrieve(connection, query)
        if not found.weights:
            return "(no keys)"
        sql = shortlist_statement(found.weights).compile(connection, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
        return " | ".join(str(r[-1]) for r in connection.execute(text(f"{prefix}{sql}")))


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
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--http-seconds", type=float, default=15.0, help="0 skips the HTTP run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"machine: {machine(load=True)}")
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    url = args.database_url or f"sqlite:///{args.workdir / 'bench.db'}"
    if url.startswith("postgresql"):
        schema = f"pl_bench_{uuid.uuid4().hex[:8]}"
        admin = build_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{url}?options=-csearch_path%3D{schema}"
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
        officer = users.actor_for_username(session, username="officer")
    started = time.perf_counter()
    with population.open(encoding="utf-8") as handle:
        report = import_stream(
            sessions, actor=owner, stream=handle, fmt="jsonl", source="bench", batch_size=args.batch_size
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
    started = time.perf_counter()
    with population.open(encoding="utf-8") as handle:
        again = import_stream(
            sessions, actor=owner, stream=handle, fmt="jsonl", source="bench", batch_size=args.batch_size
        )
    print(
        f"re-import (idempotent): {again.inserted} new, {again.duplicates:,} skipped "
        f"in {time.perf_counter() - started:.1f} s"
    )
    print("shortlist plan:", explain(engine, PersonQuery(names=["Mohamed Al-Hashimi"])))

    # --- in-process: the whole pipeline (keys, shortlist, scoring, access, hits, audit, commit) ---
    for query in queries[:20]:  # warm the part caches as a running server would be
        with unit_of_work(sessions) as session:
            check_person(
                session,
                actor=officer,
                data=PersonCheck.model_validate({k: v for k, v in query.items() if k != "_ref"}),
            )
    latencies: list[float] = []
    lookups: list[float] = []
    hits = candidates = listed = top1 = found = 0
    for index in range(args.checks):
        query = queries[index % len(queries)]
        data = PersonCheck.model_validate({k: v for k, v in query.items() if k != "_ref"})
        start = time.perf_counter()
        with unit_of_work(sessions) as session:
            answer = check_person(session, actor=officer, data=data)
        latencies.append(time.perf_counter() - start)
        hits += answer.result == "hit"
        candidates += bool(answer.candidates)
        if "_ref" in query:
            refs = [c.fields["person"]["reference"] for c in answer.candidates or []]
            listed += 1
            top1 += bool(refs) and refs[0] == query["_ref"]
            found += query["_ref"] in refs
        with unit_of_work(sessions) as session:
            start = time.perf_counter()
            PERSONS.look_up(session, normalise(data))
            lookups.append(time.perf_counter() - start)
    print(
        f"in-process person check, full pipeline, {len(latencies)} checks ({hits} with a hit, "
        f"{candidates} with candidates): p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms"
    )
    print(
        "in-process look-up only (keys + shortlist + load + score): "
        f"p50 {statistics.median(lookups) * 1000:.1f} ms, "
        f"p95 {percentile(lookups, 0.95) * 1000:.1f} ms"
    )
    print(
        f"listed-person queries (the variant itself is stored): {listed}; "
        f"right person first {top1 / max(listed, 1):.3f}, "
        f"among the candidates {found / max(listed, 1):.3f}"
    )
    engine.dispose()  # type: ignore[attr-defined]
    queries = [{k: v for k, v in q.items() if k != "_ref"} for q in queries]

    # --- HTTP ---
    if args.http_seconds > 0:
        server = run_server(url, args.port)
        try:
            import httpx

            for _ in range(150):
                try:
                    if httpx.get(f"http://127.0.0.1:{args.port}/api/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            headers = {"Authorization": f"Bearer {tokens['officer']}"}
            for query in queries[:20]:
                httpx.post(
                    f"http://127.0.0.1:{args.port}/api/v1/checks/persons",
                    json=query,
                    headers=headers,
                    timeout=30,
                )
            if Path("/usr/bin/wrk").exists():
                out = wrk_load(
                    args.port, tokens["officer"], queries, args.http_seconds, args.clients, args.workdir
                )
                print(
                    f"HTTP (wrk -t2 -c{args.clients} -d{int(args.http_seconds)}s, "
                    "client and server share the cores):"
                )
                print("  " + "\n  ".join(line for line in out.splitlines() if line.strip()))
            else:
                print("wrk not installed: HTTP run skipped")
            status = Path(f"/proc/{server.pid}/status").read_text()
            rss = next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
            print(f"server peak RSS {int(rss) / 1024:.0f} MiB")
        finally:
            server.terminate()
            server.wait()
    if url.startswith("sqlite"):
        size = sum(p.stat().st_size for p in args.workdir.glob("bench.db*"))
        print(f"SQLite file: {size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()

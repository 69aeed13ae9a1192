"""Person listing benchmark: ``GET /api/v1/persons?limit=N`` time and SQL statements per request.

Imports ``--persons`` synthetic persons of one owner with the real importer, links every ``--linked``-th one
to a travel document and a vehicle and gives it a photo, then times the owner's listing over HTTP in-process
(FastAPI's TestClient: routing, service, response validation and JSON included, no network) at each
``--limits``, and counts the SQL statements the request ran through SQLAlchemy (the audit event goes
through the driver's cursor and is not counted). A listing whose statement count grows with N reads each
person's names, links, photo or owner one by one (N+1).

    python benchmarks/persons_listing.py --persons 2000
    python benchmarks/persons_listing.py --persons 2000 --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh_db import fresh_database
from machine import machine
from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.db.engine import build_engine, session_factory
from peacelink.db.unit_of_work import unit_of_work
from peacelink.documents import service as documents
from peacelink.documents.schemas import DocumentCreate
from peacelink.persons.importer import import_stream
from peacelink.persons.models import Person, PersonDocumentLink, PersonPhoto, PersonVehicleLink
from peacelink.settings import Settings
from peacelink.users import service as users
from peacelink.vehicles import service as vehicles
from peacelink.vehicles.schemas import VehicleCreate
from persons_checks import SECRET, setup

GIVEN = ("Ahmed", "Ivan", "Maria", "Fatima", "Omar", "Olga", "Youssef", "Amina", "Pierre", "Grace")
FAMILY = ("Hassan", "Petrov", "Diallo", "Haddad", "Kuznetsov", "Traore", "Mensah", "Nasser", "Okafor", "Ali")


def population(persons: int) -> list[str]:
    """JSON Lines of ``persons`` persons: two names each (a primary and an alias), a year of birth."""
    lines = []
    for i in range(persons):
        given, family = GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)]
        names = [{"name": f"{given} {family} {i}"}, {"name": f"{family} {given}", "kind": "alias"}]
        row = {"reference": f"L-{i:06d}", "names": names, "dates_of_birth": [str(1950 + i % 50)]}
        lines.append(json.dumps(row))
    return lines


def build(url: str, persons: int, linked: int, workdir: Path) -> tuple[AppState, str]:
    """Create and fill the database; return the app state and the owner's token."""
    engine, tokens = setup(url)
    sessions = session_factory(engine)  # type: ignore[arg-type]
    with unit_of_work(sessions) as session:
        owner = users.actor_for_username(session, username="owner")
    started = time.perf_counter()
    report = import_stream(
        sessions, actor=owner, stream=io.StringIO("\n".join(population(persons))), fmt="jsonl", source="bench"
    )
    print(f"import: {report.inserted:,} persons in {time.perf_counter() - started:.1f} s")
    with unit_of_work(sessions) as session:
        document = documents.create(
            session,
            actor=owner,
            data=DocumentCreate(
                issuing_country="UTO", document_type="passport", number="BENCH1", status="stolen"
            ),
        )
        vehicle = vehicles.create(
            session, actor=owner, data=VehicleCreate(vin="1M8GDM9AXKP042788", status="stolen")
        )
        ids = list(session.scalars(select(Person.id).order_by(Person.id)))[::linked]
        connection = session.connection()
        if ids:
            connection.execute(
                insert(PersonDocumentLink), [{"person_id": p, "document_id": document.id} for p in ids]
            )
            connection.execute(
                insert(PersonVehicleLink), [{"person_id": p, "vehicle_id": vehicle.id} for p in ids]
            )
            photo = {"content_type": "image/png", "size": 8, "data": b"\x89PNG\r\n\x1a\n"}
            connection.execute(insert(PersonPhoto), [{"person_id": p, **photo} for p in ids])
    print(f"linked: {len(ids):,} persons with a document, a vehicle and a photo")
    settings = Settings(database_url=url, var_dir=workdir / "var", cookie_secure=False)
    state = AppState(settings=settings, engine=engine, sessions=sessions, secret_key=SECRET)  # type: ignore[arg-type]
    return state, tokens["owner"]


def measure(client: TestClient, state: AppState, token: str, limit: int, repeat: int) -> dict[str, Any]:
    """Median and best time of ``repeat`` listings of ``limit`` persons, and the statements of one."""
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/persons", headers=headers, params={"limit": limit})  # warm caches and the pool
    times = []
    for _ in range(repeat):
        event.listen(state.engine, "before_cursor_execute", count)
        statements = 0
        started = time.perf_counter()
        response = client.get("/api/v1/persons", headers=headers, params={"limit": limit})
        times.append(time.perf_counter() - started)
        event.remove(state.engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.text
    return {
        "limit": limit,
        "rows": len(response.json()),
        "median_s": statistics.median(times),
        "best_s": min(times),
        "statements": statements,
    }


def main() -> None:
    """Build the database, time the listings, print the figures and the machine."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--linked", type=int, default=10, help="every n-th person gets links and a photo")
    parser.add_argument("--limits", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (a new schema); default SQLite")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/peacelink-persons-listing"))
    args = parser.parse_args()
    url = fresh_database(args.database_url, args.workdir)
    state, token = build(url, args.persons, args.linked, args.workdir)
    print(f"database: {state.engine.dialect.name}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    with TestClient(create_app(state.settings, state=state)) as client:
        for limit in (int(x) for x in args.limits.split(",")):
            out = measure(client, state, token, limit, args.repeat)
            print(
                f"GET /api/v1/persons?limit={out['limit']}: {out['rows']} rows, "
                f"median {out['median_s'] * 1000:.0f} ms (best {out['best_s'] * 1000:.0f} ms), "
                f"{out['statements']} SQL statements"
            )
    print("machine:", machine(load=True))
    state.engine.dispose()
    if url.startswith("postgresql"):  # drop the schema this run made (fresh_database: search_path=<schema>)
        base, schema = url.split("?options=-csearch_path%3D")
        admin = build_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()

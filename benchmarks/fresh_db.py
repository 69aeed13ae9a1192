"""A fresh database for a benchmark run: an SQLite file in the work folder, or a new PostgreSQL schema."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlalchemy import text

from peacelink.db.engine import build_engine


def fresh_database(database_url: str | None, workdir: Path) -> str:
    """Empty ``workdir`` and return the URL of an empty database for this run.

    Without ``database_url``: a new SQLite file in ``workdir``. With a PostgreSQL URL: a new schema in that
    database, named ``pl_bench_<random>``, with the URL pointing at it (``search_path``).
    """
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    if url.startswith("postgresql"):
        schema = f"pl_bench_{uuid.uuid4().hex[:8]}"
        admin = build_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = f"{url}?options=-csearch_path%3D{schema}"
    return url

"""The app as ``peacelink serve`` runs it freezes what its caches gained every few requests (gc_policy)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from peacelink.api.app import create_app
from peacelink.api.state import AppState
from peacelink.cli.server import serving
from peacelink.gc_policy import FREEZE_EVERY, FreezeAfterRequests
from peacelink.settings import Settings


def test_the_served_app_freezes_every_few_requests(state: AppState, settings: Settings) -> None:
    try:
        app = serving(create_app(settings, state=state))
        assert [m.cls for m in app.user_middleware].count(FreezeAfterRequests) == 1
        with TestClient(app) as client:
            for _ in range(FREEZE_EVERY - 1):
                assert client.get("/api/v1/health").status_code == 200
            frozen = gc.get_freeze_count()
            assert client.get("/api/v1/health").status_code == 200
            assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()

"""An app per test module on its own data folder, with a key per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from archive.apikeys import ROLES, create_key
from archive.db import unit_of_work
from core.settings import (
    CatalogueSettings,
    Settings,
    StorageSettings,
    load_settings,
)
from ingest.context import Context, open_context


@dataclass
class ApiEnv:
    """A running app, its context and one key per role."""

    client: TestClient
    ctx: Context
    settings: Settings
    keys: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        """Headers that authenticate as ``role``."""
        return {"Authorization": f"Bearer {self.keys[role]}"}


def make_keys(ctx: Context) -> dict[str, str]:
    """One fresh key for each role."""
    keys = {}
    with unit_of_work(ctx.sessions) as session:
        for role in ROLES:
            _, keys[role] = create_key(session, name=f"test {role}", role=role)
    return keys


def hermetic_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings on ``data_dir`` alone: its SQLite catalogue and folder store,
    whatever ``SOHOA_DATABASE_URL`` or ``SOHOA_STORAGE`` say."""
    base: dict[str, object] = {
        "data_dir": data_dir,
        "catalogue": CatalogueSettings(database_url=None),
        "storage_cfg": StorageSettings(storage="fs"),
    }
    return load_settings(**{**base, **overrides})


def start_env(data_dir: Path, **overrides: object) -> Iterator[ApiEnv]:
    """Open a context on ``data_dir``, build the app and run its lifespan."""
    settings = hermetic_settings(data_dir, **overrides)
    ctx = open_context(settings)
    app = create_app(settings, context=ctx)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield ApiEnv(client, ctx, settings, make_keys(ctx))


@pytest.fixture(scope="module")
def api_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    """The app on a data folder of this test module."""
    yield from start_env(tmp_path_factory.mktemp("sohoa-data"))

"""What every pipeline stage is handed: settings, object store, catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from archive.db import init_schema, make_engine, session_factory
from archive.store import ObjectStore, open_store
from core.settings import Settings


@dataclass
class Context:
    """Settings, the object store and a session factory for the catalogue."""

    settings: Settings
    store: ObjectStore
    sessions: sessionmaker[Session]


def open_context(settings: Settings, *, migrate: bool = True) -> Context:
    """Connect to the store and catalogue named by ``settings``."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    if migrate:
        init_schema(engine)
    return Context(settings, open_store(settings), session_factory(engine))

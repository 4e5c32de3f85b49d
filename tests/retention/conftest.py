"""Archives for the retention tests: embedded (SQLite + folder) or on a
real S3 server (MinIO when built, SeaweedFS otherwise), and two archivists."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from archive.db import init_schema, make_engine, session_factory, unit_of_work
from archive.models import Document, Dossier, StoredObject
from archive.s3_store import S3Store
from core.settings import CatalogueSettings, StorageSettings, load_settings
from ingest.context import Context, open_context
from retention.actor import Actor
from retention.classes import ensure_classes
from tests.servers import minio, s3server
from tests.servers.process import BinaryMissing

LETTER = "A_vn_congvan_1906_SGDDT_2020_p1.jpg"
AN = Actor("Nguyễn Văn An", "archivist", "aaaa0001")
BINH = Actor("Trần Thị Bình", "archivist", "bbbb0002")


def fs_context(data_dir: Path) -> Context:
    """An embedded archive on ``data_dir``, whatever the environment says."""
    settings = load_settings(
        data_dir=data_dir,
        catalogue=CatalogueSettings(database_url=None),
        storage_cfg=StorageSettings(storage="fs"),
    )
    ctx = open_context(settings)
    with unit_of_work(ctx.sessions) as session:
        ensure_classes(session)
    return ctx


def s3_context(data_dir: Path, store: S3Store) -> Context:
    """A SQLite catalogue on ``data_dir`` with its objects on ``store``."""
    ctx = fs_context(data_dir)
    return Context(ctx.settings, store, ctx.sessions)


def pg_context(data_dir: Path, url: str) -> Context:
    """A PostgreSQL catalogue at ``url`` with objects in a folder."""
    engine = make_engine(url)
    init_schema(engine)
    ctx = fs_context(data_dir)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        ensure_classes(session)
    return Context(ctx.settings, ctx.store, sessions)


def add_dossier(
    ctx: Context, corpus: Path, code: str, *, name: str = LETTER,
    doc_type: str | None = "Công văn",
) -> str:
    """File ``name`` of the corpus into a new dossier ``code`` without OCR:
    the original goes to the store, the rows to the catalogue."""
    path = corpus / name
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    info = ctx.store.put_file(f"originals/{sha}", path, sha256=sha,
                              media_type="image/jpeg")
    with unit_of_work(ctx.sessions) as session:
        dossier = Dossier(code=code)
        session.add(dossier)
        session.flush()
        session.add(Document(id=sha[:32], dossier_id=dossier.id,
                             original_sha256=sha, filename=name,
                             media_type="image/jpeg", size=info.size,
                             state="archived", doc_type=doc_type))
        session.flush()
        session.add(StoredObject(key=info.key, kind="original", sha256=sha,
                                 size=info.size, media_type="image/jpeg",
                                 document_id=sha[:32],
                                 version_id=info.version_id))
        return dossier.id


def dossier(session, code: str) -> Dossier:
    """The dossier with ``code``."""
    return session.scalar(select(Dossier).where(Dossier.code == code))


def utc(year: int, month: int = 1, day: int = 1) -> dt.datetime:
    """Midnight UTC of a day."""
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def s3(request: pytest.FixtureRequest) -> s3server.S3Server:
    """The suite's MinIO when its pinned build is there, else SeaweedFS."""
    try:
        minio.find_binary()
    except BinaryMissing:
        return request.getfixturevalue("seaweed_server")
    return request.getfixturevalue("minio_server")


@pytest.fixture
def s3_store(s3: s3server.S3Server) -> S3Store:
    """A store on a new bucket with object lock."""
    return S3Store(s3.endpoint, s3.access_key, s3.secret_key,
                   s3.new_bucket_name(), region=s3.region)


@pytest.fixture
def fs_ctx(tmp_path: Path) -> Context:
    """An embedded archive in a temp folder, classes seeded."""
    return fs_context(tmp_path / "data")

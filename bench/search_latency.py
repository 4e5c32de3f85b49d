"""Search latency (p50/p95) over a synthetic catalogue, SQLite and PostgreSQL.

Builds a catalogue of N pages (default 100 000) of Vietnamese administrative
text made from the words of the real transcripts in the corpus, once on
SQLite (FTS5) and once on a PostgreSQL server started for the run
(tsvector + pg_trgm), then times the same queries on both.

    .venv/bin/python bench/search_latency.py [--pages 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from archive.db import init_schema, make_engine, session_factory  # noqa: E402
from archive.models import Document, Dossier, Page  # noqa: E402
from archive.search import SearchFilters, search  # noqa: E402
from bench.corpus import CORPUS  # noqa: E402
from core.textfold import fold  # noqa: E402
from tests.servers import postgres  # noqa: E402

PAGES_PER_DOC = 4
DOCS_PER_DOSSIER = 5
TYPES = ("Quyết định", "Công văn", "Kế hoạch", "Thông báo", "Tờ trình")
QUERIES = (
    ("quyet dinh mot cua", None),
    ("Quyết định một cửa", None),
    ("thu tuc hanh chinh", None),
    ("phòng chống dịch", None),
    ("ke hoach trien khai", SearchFilters(doc_type="Kế hoạch")),
    ("giao duc dao tao", SearchFilters(date_from=dt.date(2020, 1, 1))),
    ('"mot cua lien thong"', None),
    ("uy ban nhan dan tinh", SearchFilters(agency="Trà Vinh")),
    ("ngân sách đầu tư công", None),
    ("xyzzy khongco", None),
)


def vocabulary() -> list[str]:
    """Words of the real transcripts of the corpus."""
    texts = [p.read_text("utf-8") for p in CORPUS.glob("*.gt.txt")]
    truth = json.loads((CORPUS / "A_vn_quyetdinh_1949_TraVinh_2018_rendered"
                        ".truth.json").read_text("utf-8"))
    texts.append(truth["text"])
    return [w for t in texts for w in t.split() if w.strip(".,;:()")]


def build(url: str, pages: int, words: list[str], seed: int = 7) -> float:
    """Fill a new catalogue at ``url``; return the seconds it took."""
    rng = random.Random(seed)
    engine = make_engine(url)
    init_schema(engine)
    started = time.monotonic()
    docs = pages // PAGES_PER_DOC
    with engine.begin() as conn:
        dossiers = [{"id": f"{i:032x}", "code": f"HS-BENCH-{i:06d}"}
                    for i in range(docs // DOCS_PER_DOSSIER + 1)]
        conn.execute(insert(Dossier), dossiers)
    for start in range(0, docs, 2000):
        with engine.begin() as conn:
            conn.execute(insert(Document), [_doc(i, rng) for i in
                                            range(start, min(docs, start + 2000))])
            conn.execute(insert(Page), [
                _page(i, n, rng, words)
                for i in range(start, min(docs, start + 2000))
                for n in range(1, PAGES_PER_DOC + 1)
            ])
    engine.dispose()
    return time.monotonic() - started


def _doc(i: int, rng: random.Random) -> dict:
    return {
        "id": f"{i:032x}", "dossier_id": f"{i // DOCS_PER_DOSSIER:032x}",
        "original_sha256": f"{i:064x}", "filename": f"scan-{i}.pdf",
        "media_type": "application/pdf", "state": "archived",
        "page_count": PAGES_PER_DOC, "doc_type": rng.choice(TYPES),
        "number": f"{i % 3000}/QĐ-UBND",
        "issued_date": dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650)),
        "agency": rng.choice(("ỦY BAN NHÂN DÂN TỈNH TRÀ VINH",
                              "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CHÍNH PHỦ")),
    }


def _page(i: int, n: int, rng: random.Random, words: list[str]) -> dict:
    text = " ".join(rng.choices(words, k=220))
    return {"document_id": f"{i:032x}", "number": n, "text": text,
            "text_folded": fold(text), "mean_conf": 90.0}


def measure(url: str, repeat: int) -> dict[str, float]:
    """p50 and p95 in milliseconds over every query, ``repeat`` times each."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    times = []
    with sessions() as session:
        for query, filters in QUERIES:
            search(session, query, filters=filters)  # warm the caches
        for _ in range(repeat):
            for query, filters in QUERIES:
                started = time.perf_counter()
                search(session, query, filters=filters, limit=20)
                times.append(1000 * (time.perf_counter() - started))
    engine.dispose()
    cuts = statistics.quantiles(times, n=20)
    return {"p50": statistics.median(times), "p95": cuts[18], "n": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    words = vocabulary()
    results = {}
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        sqlite_url = f"sqlite:///{tmp}/catalogue.sqlite3"
        build_s = build(sqlite_url, args.pages, words)
        results["SQLite FTS5"] = (build_s, measure(sqlite_url, args.repeat))
        server = postgres.start()
        try:
            build_s = build(server.url(), args.pages, words)
            results["PostgreSQL"] = (build_s, measure(server.url(), args.repeat))
        finally:
            postgres.stop(server)
    out = sys.stdout
    out.write(f"catalogue: {args.pages} pages, {len(QUERIES)} queries x "
              f"{args.repeat}\n")
    for name, (build_s, lat) in results.items():
        out.write(f"{name:12} build {build_s:7.1f} s   p50 {lat['p50']:7.1f} ms   "
                  f"p95 {lat['p95']:7.1f} ms\n")
    ratio = results["PostgreSQL"][1]["p95"] / results["SQLite FTS5"][1]["p95"]
    out.write(f"p95 ratio PostgreSQL / SQLite: {ratio:.2f}\n")


if __name__ == "__main__":
    main()

"""``sohoa search``, ``sohoa show`` and ``sohoa export``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import click

from archive.catalogue import get_document, get_dossier
from archive.export import export_documents, metadata_of
from archive.search import SearchFilters, search
from core.errors import NotFound
from sohoa import wiring
from sohoa.output import emit_json, say


@click.command("search")
@click.argument("query", default="")
@click.option("--type", "doc_type", help="Document type, e.g. 'Quyết định'.")
@click.option("--agency", help="Issuing agency (part of the name).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]),
              help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]),
              help="Issued on or before (YYYY-MM-DD).")
@click.option("--number", help="Số và ký hiệu, e.g. 1949/QĐ-UBND.")
@click.option("--dossier", "dossier_code", help="Dossier code.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def search_cmd(query: str, doc_type: str | None, agency: str | None,
               date_from: dt.datetime | None, date_to: dt.datetime | None,
               number: str | None, dossier_code: str | None, limit: int,
               as_json: bool) -> None:
    """Full-text search, with or without Vietnamese diacritics."""
    filters = SearchFilters(
        doc_type=doc_type, agency=agency, number=number,
        dossier_code=dossier_code,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    ctx = wiring.context()
    with ctx.sessions() as session:
        result = search(session, query, filters=filters, limit=limit)
    hits = result.hits
    if as_json:
        emit_json({"query": query, "total": result.total,
                   "hits": [dataclasses.asdict(h) for h in hits]})
        return
    if not hits:
        say("no document found")
    for hit in hits:
        title = " · ".join(str(v) for v in (hit.doc_type, hit.number,
                                             hit.issued_date) if v)
        say(hit.dossier_code, hit.document_id[:12], hit.filename, "", title)
        for page in hit.pages:
            say(f"    p.{page.page}:", page.snippet)


@click.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def show_cmd(ident: str, as_json: bool) -> None:
    """Print a document's (or a dossier's) metadata."""
    ctx = wiring.context()
    with ctx.sessions() as session:
        docs = _documents(session, ident)
        bodies = [metadata_of(session, d, can_see_ids=False) for d in docs]
    if as_json:
        emit_json(bodies[0] if len(bodies) == 1 else bodies)
        return
    for body in bodies:
        say(body["id"], body["filename"], f"(dossier {body['dossier']['code']},",
            f"{body['pages']} page(s), {body['state']})")
        for f in body["fields"]:
            say(f"  {f['name']:<16}", f["value"],
                f" (p.{f['page']}, {f['confidence']:.2f})")


@click.command("export")
@click.argument("ident")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def export_cmd(ident: str, dest: Path, as_json: bool) -> None:
    """Write originals, searchable PDFs and metadata of a document or dossier."""
    ctx = wiring.context()
    with ctx.sessions() as session:
        docs = _documents(session, ident)
        report = export_documents(session, ctx.store, docs, dest)
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    say(f"{len(report.files)} file(s) written to {dest}, "
        "each verified against its SHA-256")


def _documents(session, ident: str) -> list:
    try:
        return [get_document(session, document_id=ident)]
    except NotFound:
        dossier = get_dossier(session, dossier_id_or_code=ident)
        docs = [d for d in dossier.documents if d.state == "archived"]
        if not docs:
            raise NotFound(f"dossier {ident} has no archived document") from None
        return docs

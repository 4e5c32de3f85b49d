"""``sohoa serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve_cmd(host: str, port: int) -> None:
    """Serve the HTTP API (OpenAPI at /docs)."""
    import uvicorn

    from api.app import create_app
    from sohoa import wiring

    uvicorn.run(create_app(wiring.settings()), host=host, port=port,
                log_config=None)

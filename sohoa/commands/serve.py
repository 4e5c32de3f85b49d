"""``sohoa serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True,
              type=click.IntRange(1, 65535))
def serve_cmd(host: str, port: int) -> None:
    """Serve the HTTP API (OpenAPI at /docs)."""
    import uvicorn

    _check_free(host, port)

    from api.app import create_app
    from sohoa import wiring

    uvicorn.run(create_app(wiring.settings()), host=host, port=port,
                log_config=None)


def _check_free(host: str, port: int) -> None:
    """Refuse at once, with a clear message, a port that is taken."""
    import socket

    from core.errors import ConfigError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror}; choose another "
                "--port or stop what uses it") from None

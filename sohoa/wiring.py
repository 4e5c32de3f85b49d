"""Building the settings, logging and pipeline context once per process."""

from __future__ import annotations

from functools import lru_cache

from core.logging import configure_logging
from core.settings import Settings, load_settings
from ingest.context import Context, open_context


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings of this process, read from the environment once."""
    return load_settings()


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Configure logging from settings and the CLI's -v/-q flags."""
    cfg = settings()
    level = "WARNING" if quiet else ("DEBUG" if verbose else cfg.log_level)
    configure_logging(level, cfg.log_format)


@lru_cache(maxsize=1)
def context() -> Context:
    """The store and catalogue of this process."""
    return open_context(settings())

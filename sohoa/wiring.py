"""Building the settings, logging and pipeline context once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from core.logging import configure_logging
from core.settings import Settings, load_settings
from ingest.context import Context, open_context


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings of this process, read from the environment once."""
    return load_settings()


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Configure logging from the CLI's -v/-q flags and SOHOA_LOG_LEVEL.

    Commands print their own summary, so without ``-v`` or an explicit
    ``SOHOA_LOG_LEVEL`` only warnings reach the terminal.
    """
    cfg = settings()
    if quiet:
        level = "ERROR"
    elif verbose:
        level = "DEBUG" if verbose > 1 else "INFO"
    elif "SOHOA_LOG_LEVEL" in os.environ:
        level = cfg.log_level
    else:
        level = "WARNING"
    configure_logging(level, cfg.log_format)


@lru_cache(maxsize=1)
def context() -> Context:
    """The store and catalogue of this process."""
    return open_context(settings())

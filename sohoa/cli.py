"""The ``sohoa`` command: the boundary where errors become exit codes."""

from __future__ import annotations

import logging
import sys
from typing import NoReturn

import click
from kombu.exceptions import OperationalError as KombuOperationalError
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from core.errors import ConfigError, ExitCode, SohoaError, StorageError
from sohoa import wiring
from sohoa.commands.apikey import apikey_cmd
from sohoa.commands.audit import audit_cmd
from sohoa.commands.batch import batch_cmd
from sohoa.commands.fixity import fixity_cmd
from sohoa.commands.ingest import ingest_cmd, rescan_list_cmd
from sohoa.commands.retention import retention_cmd
from sohoa.commands.search import export_cmd, search_cmd, show_cmd
from sohoa.commands.serve import serve_cmd
from sohoa.commands.worker import worker_cmd, worker_ping_cmd
from sohoa.output import emit_json, err_console, say

log = logging.getLogger("sohoa")


@click.group()
@click.option("-v", "--verbose", count=True, help="Log lines: -v INFO, -vv DEBUG.")
@click.option("-q", "--quiet", is_flag=True, help="Errors only.")
@click.version_option(package_name="sohoa")
def cli(verbose: int, quiet: bool) -> None:
    """sohoa: digitise, archive and search the dossiers of a one-stop office."""
    wiring.setup_logging(verbose, quiet)


for command in (ingest_cmd, rescan_list_cmd, search_cmd, show_cmd, export_cmd,
                serve_cmd, apikey_cmd, retention_cmd, audit_cmd, fixity_cmd,
                worker_cmd, worker_ping_cmd, batch_cmd):
    cli.add_command(command)


def main() -> None:
    """Run the CLI and map errors to exit codes (see the README)."""
    try:
        cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        err_console.print("interrupted")
        sys.exit(ExitCode.interrupted)
    except click.ClickException as exc:
        if _wants_json():
            _fail(ConfigError(exc.format_message()))
        exc.show()
        sys.exit(ExitCode.usage)
    except ValidationError as exc:
        _fail(ConfigError(f"invalid setting: {exc.errors()[0]['msg']}"))
    except SohoaError as exc:
        _fail(exc)
    except OperationalError as exc:
        _fail(StorageError(
            f"the catalogue cannot be used: {str(exc.orig).strip()}; check disk "
            "space and SOHOA_DATABASE_URL"))
    except SQLAlchemyError as exc:
        log.debug("catalogue error", exc_info=True)
        _fail(SohoaError(f"the catalogue refused a change ({type(exc).__name__}); "
                         "run the command again, or with -vv for details"))
    except KombuOperationalError as exc:
        _fail(StorageError(
            f"the task broker cannot be reached ({exc}); check SOHOA_BROKER_URL "
            "and that Redis runs"))
    except OSError as exc:
        _fail(StorageError(
            f"{exc.filename or 'a file'}: {exc.strerror or exc}; check disk "
            "space and permissions of SOHOA_DATA_DIR"))


def _wants_json() -> bool:
    return "--json" in sys.argv[1:]


def _fail(exc: SohoaError) -> NoReturn:
    if _wants_json():
        emit_json({"error": exc.to_dict(), "exit_code": int(exc.exit_code)})
    else:
        say(f"error: {exc.message} [{exc.code}]", err=True)
    sys.exit(int(exc.exit_code))

"""The ``sohoa`` command: the boundary where errors become exit codes."""

from __future__ import annotations

import logging
import sys

import click
from pydantic import ValidationError

from core.errors import ConfigError, ExitCode, SohoaError
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
from sohoa.output import err_console

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
    except click.exceptions.Abort:
        err_console.print("interrupted")
        sys.exit(ExitCode.interrupted)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage)
    except ValidationError as exc:
        error = ConfigError(f"invalid setting: {exc.errors()[0]['msg']}")
        _fail(error)
    except SohoaError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(ExitCode.interrupted)


def _fail(exc: SohoaError) -> None:
    err_console.print(f"error: {exc.message} [{exc.code}]", markup=False)
    sys.exit(int(exc.exit_code))

"""``python -m sohoa`` runs the CLI."""

from sohoa.cli import main

main()

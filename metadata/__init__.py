"""Metadata fields of Vietnamese administrative documents."""

from metadata.extract import extract

__all__ = ["extract"]

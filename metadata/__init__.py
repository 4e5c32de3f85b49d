"""Metadata fields of Vietnamese administrative documents."""

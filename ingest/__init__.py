"""Ingest: batch intake, validation, page images, dedupe, pipeline stages."""

"""Pytest fixtures for real servers (filled in by tests/servers/*)."""

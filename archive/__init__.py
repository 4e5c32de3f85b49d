"""Object storage, the catalogue, full-text search, fixity and audit."""

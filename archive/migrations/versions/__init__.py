"""Migration revisions, oldest first by their number."""

"""The shell: CLI, Celery app and wiring."""

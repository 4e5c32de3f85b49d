"""Retention classes, schedules, holds and disposition."""

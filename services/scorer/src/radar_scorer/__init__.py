"""Scorer: event-time sector scores from tagged documents."""

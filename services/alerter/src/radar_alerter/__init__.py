"""Alerter: alerts from sector scores."""

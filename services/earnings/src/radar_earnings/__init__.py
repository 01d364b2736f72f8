"""Earnings ingest: earnings calendars to EarningsReported events."""

"""Earnings ingest: SEC XBRL filings and earnings calendars to EarningsReported events,
press releases and call transcripts to documents for the tagger."""

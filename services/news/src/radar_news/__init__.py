"""News ingest: reads configured feeds and publishes NewsItemIngested events."""

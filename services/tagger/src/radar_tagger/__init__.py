"""Tagger: finds AI-monetization signals (themes, polarity, companies, sectors) in documents."""

TAGGER_VERSION = "0.2.0"

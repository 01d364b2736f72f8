"""Theme, sector and polarity ids of the signal taxonomy (spec: taxonomy.md, v1).

These ids are a contract: the tagger emits them, the scorer and alerter key on them,
and subscribers filter by them. The cue phrases that *find* themes live in the tagger's
editable YAML file; only the ids are fixed here.
"""

from enum import StrEnum

TAXONOMY_VERSION = "1"


class Theme(StrEnum):
    """An AI-monetization signal a document can carry."""

    AI_MARKETING = "ai_marketing"
    AI_GAMING = "ai_gaming"
    AI_FILM_TV = "ai_film_tv"
    AI_IP = "ai_ip"
    TOKEN_USAGE = "token_usage"  # noqa: S105 - a theme id, not a credential
    INFERENCE_COST = "inference_cost"
    AI_REVENUE = "ai_revenue"
    ENTERPRISE_ADOPTION = "enterprise_adoption"
    ANALYST_RATING = "analyst_rating"
    EARNINGS_RESULT = "earnings_result"
    AI_HARDWARE = "ai_hardware"
    AI_REGULATION = "ai_regulation"
    AI_AGENTS = "ai_agents"


class Sector(StrEnum):
    """A sector that is scored and alerted on."""

    MARKETING = "marketing"
    GAMING = "gaming"
    FILM_TV = "film_tv"
    IP_MEDIA = "ip_media"
    AI_INFRA = "ai_infra"
    ENTERPRISE_SOFTWARE = "enterprise_software"


class Polarity(StrEnum):
    """What a theme tag means for AI monetization."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"

    @property
    def sign(self) -> int:
        """+1, -1 or 0: the direction this polarity moves a score."""
        return {"positive": 1, "negative": -1, "neutral": 0}[self.value]


# Sectors a theme reaches on its own (taxonomy.md, "reached directly by theme").
THEME_SECTORS: dict[Theme, tuple[Sector, ...]] = {
    Theme.AI_MARKETING: (Sector.MARKETING,),
    Theme.AI_GAMING: (Sector.GAMING,),
    Theme.AI_FILM_TV: (Sector.FILM_TV,),
    Theme.AI_IP: (Sector.IP_MEDIA,),
    Theme.AI_HARDWARE: (Sector.AI_INFRA,),
    Theme.INFERENCE_COST: (Sector.AI_INFRA,),
    Theme.AI_AGENTS: (Sector.AI_INFRA,),
    Theme.ENTERPRISE_ADOPTION: (Sector.ENTERPRISE_SOFTWARE,),
}

"""Stream names. Every key shares one prefix, so that deployments and tests can be isolated."""

from dataclasses import dataclass

DEFAULT_PREFIX = "radar"


@dataclass(frozen=True)
class Streams:
    """Redis stream keys for one deployment (``radar:news`` and so on)."""

    prefix: str = DEFAULT_PREFIX

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    @property
    def news(self) -> str:
        """NewsItemIngested (news.ingested, news.updated) and earnings documents."""
        return self.key("news")

    @property
    def earnings(self) -> str:
        """EarningsReported."""
        return self.key("earnings")

    @property
    def tagged(self) -> str:
        """DocumentTagged."""
        return self.key("tagged")

    @property
    def scores(self) -> str:
        """SectorScored."""
        return self.key("scores")

    @property
    def alerts(self) -> str:
        """AlertRaised: the public alert stream."""
        return self.key("alerts")

    @property
    def deadletter(self) -> str:
        """DeadLettered: entries no service could process."""
        return self.key("deadletter")

    def all(self) -> dict[str, str]:
        """Logical name to key, for every stream."""
        names = ("news", "earnings", "tagged", "scores", "alerts", "deadletter")
        return {name: self.key(name) for name in names}

    def logical_name(self, key: str) -> str:
        """``radar:news`` → ``news``: the small fixed set used as a metric label."""
        return key.removeprefix(f"{self.prefix}:")

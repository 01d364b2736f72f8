"""The alert labels a person may name on the command line (silence matchers, webhook
filters), with the values that exist: a typo such as ``sectr=gamin`` is refused with the
names that would work, instead of muting or filtering nothing."""

from enum import Enum

from radar_alerter.domain.load import load_rules
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_schemas import Polarity, Sector, Theme


def _values(kind: type[Enum]) -> frozenset[str]:
    return frozenset(str(member.value) for member in kind)


# The labels the bundled rules put on alerts (alerter/domain/conditions.py), and alertname;
# None: any value (a ticker, a company id, a rule of a custom rules file).
ALERT_LABELS: dict[str, frozenset[str] | None] = {
    "alertname": None,
    "sector": _values(Sector),
    "theme": _values(Theme),
    "polarity": _values(Polarity),
    "company": None,
    "ticker": None,
}


def check_label(name: str, value: str) -> None:
    """ValueError naming the labels or values that exist, for an unknown one."""
    if name not in ALERT_LABELS:
        raise ValueError(f"no alert carries a label {name!r}: use {', '.join(ALERT_LABELS)}")
    allowed = ALERT_LABELS[name]
    if allowed is not None and value not in allowed:
        raise ValueError(f"{name}={value!r} matches no alert: {name} is one of {_list(allowed)}")


def check_sector(value: str) -> None:
    check_label("sector", value)


def unknown_rules(names: list[str]) -> list[str]:
    """The names that are not rules of the bundled rules file (a custom file may have them)."""
    known = {rule.name for rule in load_rules(DEFAULT_RULES_FILE).rules}
    return [name for name in names if name not in known]


def _list(values: frozenset[str]) -> str:
    return ", ".join(sorted(values))

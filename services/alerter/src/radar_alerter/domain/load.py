"""Reading the rules file. Pure apart from reading the file."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from .rules import RuleSet, ThresholdRule

SCORE_RULE = "sector_score_high"


class RulesError(ValueError):
    """The rules file is missing or invalid; the message names the file and the field."""


def load_rules(path: Path) -> RuleSet:
    """Parse and validate a rules file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RuleSet.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        raise RulesError(f"{path}: {exc}") from exc


def with_score_thresholds(
    rules: RuleSet, fire_above: float | None, resolve_below: float | None
) -> RuleSet:
    """The rule set with the ``sector_score_high`` rule's bounds replaced where given
    (``RADAR_SCORE_FIRE_ABOVE`` / ``RADAR_SCORE_RESOLVE_BELOW``)."""
    if fire_above is None and resolve_below is None:
        return rules
    changed = []
    for rule in rules.rules:
        if isinstance(rule, ThresholdRule) and rule.name == SCORE_RULE:
            bounds = {
                "fire_above": rule.fire_above if fire_above is None else fire_above,
                "resolve_below": rule.resolve_below if resolve_below is None else resolve_below,
            }
            rule = ThresholdRule.model_validate({**rule.model_dump(), **bounds})
        changed.append(rule)
    return rules.model_copy(update={"rules": tuple(changed)})

"""Reading the rules file. Pure apart from reading the file."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from .rules import RuleSet


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

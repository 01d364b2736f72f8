"""JSON documents from outside (JSON Feeds, earnings calendars, companyfacts) read with a
nesting limit. Pure; used by every service that parses such input.

Deeply nested JSON made ``json`` raise RecursionError, which no caller expects; and a
document that loads just under the interpreter's recursion limit can still make later code
that walks it (``str``, pydantic) hit it. Real documents nest about seven levels
(companyfacts: facts, taxonomy, concept, units, unit, fact), so a far lower limit is set.
"""

import json
from typing import Any

MAX_NESTING = 64


def load_json(raw: bytes | str) -> Any:
    """The JSON value, or ValueError with a one-line reason: not JSON, or nested deeper than
    MAX_NESTING levels."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {MAX_NESTING} levels") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError: already one line
        raise ValueError(f"not JSON: {exc}") from None
    if nested_deeper(value, MAX_NESTING):
        raise ValueError(f"JSON nested deeper than {MAX_NESTING} levels")
    return value


def nested_deeper(value: Any, limit: int) -> bool:
    """True when lists and objects nest more than ``limit`` levels deep (no recursion)."""
    level: list[Any] = [value] if isinstance(value, dict | list) else []
    for _ in range(limit):
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return bool(level)


def document_row_problem(row: dict[str, Any]) -> str:
    """Why a JSON-lines document (``id``, and ``title`` or ``text`` or both) is none: "no id"
    or "no title or text"; empty when it is one. A headline alone is news, as a feed entry
    with only a title is. `radar replay` and `radar tag` read their lines by it."""
    if not str(row.get("id") or "").strip():
        return "no id"
    if not any(str(row.get(key) or "").strip() for key in ("title", "text")):
        return "no title or text"
    return ""

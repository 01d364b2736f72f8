"""The fiscal period an earnings text is about, read from its opening. Pure."""

import re

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_YEAR = r"(?:fiscal\s+)?(?:year\s+)?(?:FY\s*)?(\d{4})"
_PATTERNS = (
    # "Q1 Fiscal 2023", "Q3 2025", "Q4 FY2024"
    re.compile(rf"\bQ([1-4])\s+{_YEAR}\b", re.I),
    # "first quarter fiscal year 2023", "Third Quarter 2025", "second quarter of 2025"
    re.compile(
        rf"\b(first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+(?:of\s+)?{_YEAR}\b", re.I
    ),
    # "fiscal 2023 first quarter"
    re.compile(r"\bfiscal\s+(?:year\s+)?(\d{4})\s+(first|second|third|fourth)\s+quarter\b", re.I),
)
# "fourth fiscal quarter ended September 28, 2024": no year stated, the period end gives it.
_ENDED = re.compile(
    r"\b(first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+ended\s+\w+\s+\d{1,2},\s+(\d{4})",
    re.I,
)


def _quarter(token: str) -> int:
    return int(token) if token.isdigit() else _ORDINALS[token.lower()]


def fiscal_quarter(text: str, head_chars: int = 4_000) -> tuple[int, str] | None:
    """(fiscal year, "Q1".."Q4") named first in the text's opening, or None."""
    head = text[:head_chars]
    found: list[tuple[int, int, str]] = []
    for index, pattern in enumerate(_PATTERNS):
        match = pattern.search(head)
        if match is None:
            continue
        a, b = match.groups()
        number, year = (_quarter(a), int(b)) if index < 2 else (_quarter(b), int(a))
        found.append((match.start(), year, f"Q{number}"))
    if not found:
        match = _ENDED.search(head)
        if match is None:
            return None
        found.append((match.start(), int(match.group(2)), f"Q{_quarter(match.group(1))}"))
    _, fiscal_year, label = min(found)
    return fiscal_year, label

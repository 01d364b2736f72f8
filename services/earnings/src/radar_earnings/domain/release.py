"""Reported figures and targets from the opening of an earnings press release. Pure.

Releases are prose, so this reads only well-worn phrasings, in the release's opening
(highlights and targets): "revenue of $4.66 billion", "Diluted earnings per share was $2.71
on a GAAP basis", "GAAP net income was $1.25 billion", and target tables such as
"second quarter fiscal year 2023 targets: Total revenue $4.75 billion to $4.78 billion ...
Earnings per share GAAP: $2.65 to $2.70". GAAP figures only; non-GAAP ones are skipped.
What is not found is left out, never guessed.
"""

import re

from radar_schemas.earnings import Guidance, MetricName

_SCALE = {"billion": 1e9, "million": 1e6, "thousand": 1e3, None: 1.0}
_MONEY = r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(billion|million|thousand)?\b"
_GAAP = r"(?<![-\w])GAAP"  # not the "GAAP" inside "non-GAAP"
_ACTUALS = {
    MetricName.REVENUE: re.compile(rf"\b(?:total\s+)?revenues?\s+(?:of|was|were)\s+{_MONEY}", re.I),
    MetricName.EPS_DILUTED: re.compile(
        rf"diluted earnings per share (?:was|of)\s+{_MONEY}\s+on a GAAP basis"
        rf"|{_GAAP} diluted (?:earnings|net income) per share (?:was|of)\s+{_MONEY}",
        re.I,
    ),
    MetricName.NET_INCOME: re.compile(rf"{_GAAP} net income (?:was|of)\s+{_MONEY}", re.I),
    MetricName.OPERATING_INCOME: re.compile(
        rf"{_GAAP} operating income[^$.]{{0,40}}?(?:was|of)\s+{_MONEY}", re.I
    ),
}
_UNITS = {MetricName.EPS_DILUTED: "USD/shares"}
_TARGETS = re.compile(
    r"((?:first|second|third|fourth)\s+quarter\s+)?fiscal\s+(?:year\s+)?(\d{4})\s+targets\s*:",
    re.I,
)
_RANGE = rf"{_MONEY}\s+to\s+{_MONEY}"
_TARGET_ROWS = {
    MetricName.REVENUE: re.compile(rf"Total revenue\W{{0,60}}?{_RANGE}", re.I | re.S),
    MetricName.EPS_DILUTED: re.compile(
        rf"Earnings per share.{{0,60}}?{_GAAP}:\s*{_RANGE}", re.I | re.S
    ),
}
_ORDINAL = {"first": "Q1", "second": "Q2", "third": "Q3", "fourth": "Q4"}


def _amount(number: str, scale: str | None) -> float:
    return round(float(number.replace(",", "")) * _SCALE[scale and scale.lower()], 6)


def reported_figures(text: str, head_chars: int = 8_000) -> dict[MetricName, tuple[float, str]]:
    """GAAP figures the opening states: metric → (value, unit)."""
    head = text[:head_chars]
    found = {}
    for metric, pattern in _ACTUALS.items():
        match = pattern.search(head)
        if match:
            # Alternatives each capture (number, scale): take the pair that matched.
            groups = match.groups()
            pairs = [(groups[i], groups[i + 1]) for i in range(0, len(groups), 2)]
            number, scale = next((n, s) for n, s in pairs if n is not None)
            found[metric] = (_amount(number, scale), _UNITS.get(metric, "USD"))
    return found


def guidance(text: str, head_chars: int = 12_000) -> tuple[Guidance, ...]:
    """Targets from "... fiscal year YYYY targets:" tables: revenue and GAAP EPS ranges."""
    head = text[:head_chars]
    headings = list(_TARGETS.finditer(head))
    targets = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else heading.end() + 1_500
        block = head[heading.end() : end]
        quarter, year = heading.groups()
        period = f"{_ORDINAL[quarter.split()[0].lower()]} FY{year}" if quarter else f"FY{year}"
        for metric, pattern in _TARGET_ROWS.items():
            row = pattern.search(block)
            if row:
                low, low_scale, high, high_scale = row.groups()
                targets.append(
                    Guidance(
                        metric=metric,
                        period=period,
                        low=_amount(low, low_scale),
                        high=_amount(high, high_scale),
                        unit=_UNITS.get(metric, "USD"),
                    )
                )
    return tuple(targets)

"""What a PromQL expression refers to: its series selectors and the label names it uses.

A small lexer, not a parser: enough for the dashboard's and the rules' expressions, so that
a test can ask a real Prometheus about each selector and label and name the one missing.
Functions and aggregations are the names followed by ``(``; label lists are the
parentheses after by, without, on, ignoring, group_left and group_right; strings (matcher
values, label_replace arguments) and range durations are never taken for names."""

import re
from dataclasses import dataclass

_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`'
_TOKEN = re.compile(
    rf"(?P<str>{_STRING})"
    rf"|(?P<brace>\{{(?:{_STRING}|[^}}\"'`])*\}})"
    r"|(?P<range>\[[^\]]*\])"
    r"|(?P<dur>\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*\b)"
    r"|(?P<num>(?:0x[0-9a-fA-F]+|\d*\.?\d+(?:[eE][+-]?\d+)?)\b)"
    r"|(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)
_LABEL_LISTS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count"}
_AGGREGATIONS |= {"count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"}
_KEYWORDS = _LABEL_LISTS | _AGGREGATIONS | {"and", "or", "unless", "offset", "bool", "atan2"}
_KEYWORDS |= {"inf", "nan"}
_MATCHER = re.compile(rf"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*(?:{_STRING})")
_METRIC_MATCHER = re.compile(rf"__name__\s*=\s*({_STRING})")


@dataclass(frozen=True)
class Selector:
    """A series selector as written (``text``), its metric name and its matchers' labels."""

    text: str
    metric: str
    labels: frozenset[str]


@dataclass(frozen=True)
class References:
    """The selectors of an expression and the labels its label lists name."""

    selectors: tuple[Selector, ...]
    grouping_labels: frozenset[str]


def _tokens(expression: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup or "other", m.group(0))
        for m in _TOKEN.finditer(expression)
        if m.lastgroup != "space"
    ]


def _selector(name: str, brace: str) -> Selector:
    labels = frozenset(_MATCHER.findall(brace))
    named = _METRIC_MATCHER.search(brace)
    metric = name or (named.group(1)[1:-1] if named else "")
    return Selector(name + brace, metric, labels - {"__name__"})


def references(expression: str) -> References:
    """The series selectors of ``expression`` and the labels of its label lists."""
    tokens, selectors, grouping = _tokens(expression), [], set()
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if kind == "name" and text in _LABEL_LISTS and following[1] == "(":
            end = next(j for j in range(i + 2, len(tokens)) if tokens[j][1] == ")")
            grouping |= {t for k, t in tokens[i + 2 : end] if k == "name"}
            i = end + 1
            continue
        if kind == "name" and text not in _KEYWORDS and following[1] != "(":
            brace = following[1] if following[0] == "brace" else ""
            selectors.append(_selector(text, brace))
            i += 2 if brace else 1
            continue
        if kind == "brace":
            selectors.append(_selector("", text))
        i += 1
    return References(tuple(selectors), frozenset(grouping))


def legend_labels(legend_format: str) -> set[str]:
    """Labels a Grafana legend format refers to (``{{stream}}``)."""
    return set(re.findall(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}", legend_format))


def template_labels(template: str) -> set[str]:
    """Labels an alert annotation refers to (``{{ $labels.stream }}``)."""
    return set(re.findall(r"\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)", template))

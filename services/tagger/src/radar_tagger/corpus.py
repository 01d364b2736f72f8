"""Building the labelled corpus from two annotators' labels (docs/annotation-guideline.md).

    python -m radar_tagger.corpus agreement RAW A B          inter-annotator agreement
    python -m radar_tagger.corpus disagreements RAW A B      items to adjudicate (JSON lines)
    python -m radar_tagger.corpus build RAW A B ADJUDICATED --train OUT --test OUT
                                  [--test-share 0.35] [--keep-in-train IDS.jsonl]

RAW holds the items (id, title, text, url, published, lang, origin, licence); A and B each
annotator's labels (one JSON line per item); ADJUDICATED the adjudicator's final labels for
the items the two disagreed on. `build` merges them into gold rows and splits them, by theme
stratification, into a training part and a frozen test split (rows marked "split": "test").
"""

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from radar_reference import ReferenceData, load_companies

from .evaluate import Counts, canonical, read_jsonl

Labels = dict[str, Any]


def _themes(labels: Labels) -> dict[str, str]:
    return dict(labels.get("themes") or {})


def _figures(labels: Labels) -> dict[str, tuple[bool, str, str | None]]:
    """A labelled figure's text -> (negative, unit, period)."""
    out = {}
    for q in labels.get("quantities") or []:
        if isinstance(q, dict) and q.get("text"):
            value = q.get("value")
            negative = isinstance(value, int | float) and value < 0
            out[str(q["text"])] = (negative, str(q.get("unit", "")).lower(), q.get("period"))
    return out


def disagreement(a: Labels, b: Labels) -> list[str]:
    """The fields two annotators' labels of one item differ on (empty: they agree)."""
    out = []
    if set(_themes(a)) != set(_themes(b)):
        out.append("themes")
    shared = set(_themes(a)) & set(_themes(b))
    if any(_themes(a)[t] != _themes(b)[t] for t in shared):
        out.append("polarity")
    if _companies(a) != _companies(b):
        out.append("entities")
    if set(a.get("sectors") or []) != set(b.get("sectors") or []):
        out.append("sectors")
    if a.get("sentiment") != b.get("sentiment"):
        out.append("sentiment")
    fa, fb = _figures(a), _figures(b)
    if any(fa[t] != fb[t] for t in set(fa) & set(fb)):
        out.append("quantities")
    return out


def _companies(labels: Labels) -> set[str]:
    return {canonical(x) for x in labels.get("entities") or []}


def agreement(a_rows: list[Labels], b_rows: list[Labels]) -> dict[str, Any]:
    """Theme, entity and sector F1 of one annotator against the other, polarity and
    sentiment agreement (with Cohen's kappa), and figure agreement on shared figures."""
    b_by_id = {r["id"]: r for r in b_rows}
    themes, entities, sectors = Counts(), Counts(), Counts()
    polarity: list[tuple[str, str]] = []
    sentiment: list[tuple[str, str]] = []
    figures: list[bool] = []
    items = 0
    for a in a_rows:
        b = b_by_id.get(a["id"])
        if b is None:
            continue
        items += 1
        themes.add(set(_themes(a)), set(_themes(b)), set())
        entities.add(_companies(a), _companies(b), set())
        sectors.add(set(a.get("sectors") or []), set(b.get("sectors") or []), set())
        polarity += [(_themes(a)[t], _themes(b)[t]) for t in set(_themes(a)) & set(_themes(b))]
        if a.get("sentiment") and b.get("sentiment"):
            sentiment.append((a["sentiment"], b["sentiment"]))
        fa, fb = _figures(a), _figures(b)
        figures += [fa[t] == fb[t] for t in set(fa) & set(fb)]
    return {
        "items": items,
        "theme_f1": themes.scores()[2],
        "entity_f1": entities.scores()[2],
        "sector_f1": sectors.scores()[2],
        "polarity_agreement": _agree(polarity),
        "polarity_kappa": _kappa(polarity),
        "sentiment_agreement": _agree(sentiment),
        "sentiment_kappa": _kappa(sentiment),
        "figures_shared": len(figures),
        "figures_sign_unit_period_agreement": sum(figures) / len(figures) if figures else None,
    }


def _agree(pairs: list[tuple[str, str]]) -> float | None:
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else None


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    observed = sum(x == y for x, y in pairs) / len(pairs)
    first, second = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(first[k] * second[k] for k in first) / len(pairs) ** 2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def gold_of(final: Labels, a: Labels, b: Labels) -> dict[str, Any]:
    """Gold labels in the evaluation's form, from the final labels (the annotators' shared
    labels, or the adjudicator's) and both annotators' second acceptable polarities."""
    themes: dict[str, list[str]] = {}
    for theme, polarity in _themes(final).items():
        accepted = [polarity]
        extra = (final.get("polarity_alt") or {}).get(theme)
        if extra and extra != polarity:
            accepted.append(extra)
        themes[theme] = accepted
    figures = [q for q in final.get("quantities") or [] if isinstance(q, dict) and q.get("text")]
    if final is a:  # agreed items: keep the figures both marked the same way
        shared = _figures(b)
        figures = [
            q for q in figures if shared.get(q["text"]) == _figures({"quantities": [q]})[q["text"]]
        ]
    return {
        "themes": themes,
        "optional_themes": sorted(final.get("optional_themes") or []),
        "sectors": sorted(set(final.get("sectors") or [])),
        "optional_sectors": sorted(final.get("optional_sectors") or []),
        "entities": sorted({canonical(x) for x in final.get("entities") or []}),
        "optional_entities": sorted({canonical(x) for x in final.get("optional_entities") or []}),
        "sentiment": final.get("sentiment"),
        "quantities": figures,
    }


def stratified_split(rows: list[dict[str, Any]], share: float, keep: set[str]) -> set[str]:
    """Ids of the test split: items taken rarest theme first until each theme (and the
    background, and each language) has its share; ids in `keep` stay in training."""

    def labels(row: dict[str, Any]) -> list[str]:
        found = list(row["gold"]["themes"]) or ["(background)"]
        return [*found, f"(lang:{row.get('lang') or 'en'})"]

    totals = Counter(label for row in rows if row["id"] not in keep for label in labels(row))
    taken: Counter[str] = Counter()
    test: set[str] = set()
    ordered = sorted(
        (r for r in rows if r["id"] not in keep),
        key=lambda r: (
            min(totals[x] for x in labels(r)),
            hashlib.sha256(r["id"].encode()).hexdigest(),
        ),
    )
    for row in ordered:
        rarest = min(labels(row), key=lambda x: totals[x])
        if taken[rarest] < share * totals[rarest]:
            test.add(row["id"])
            taken.update(labels(row))
    return test


def _company_id(reference: ReferenceData, entity: str) -> str:
    """The reference id of a labelled entity (any listing, name or alias), else as given."""
    found = reference.lookup(entity)
    return found.id if found is not None else entity


def build(args: argparse.Namespace) -> None:
    raw = read_jsonl(args.raw)
    a_by_id = {r["id"]: r for r in read_jsonl(args.a)}
    b_by_id = {r["id"]: r for r in read_jsonl(args.b)}
    adjudicated = {r["id"]: r for r in read_jsonl(args.adjudicated)}
    keep = {r["id"] for path in args.keep_in_train for r in read_jsonl(path)}
    reference = load_companies()
    rows, missing = [], []
    for item in raw:
        a, b = a_by_id.get(item["id"]), b_by_id.get(item["id"])
        if a is None or b is None:
            missing.append(item["id"])
            continue
        if disagreement(a, b):
            if item["id"] not in adjudicated:
                missing.append(item["id"])
                continue
            final = adjudicated[item["id"]]
        else:
            final = a
        gold = gold_of(final, a, b)
        for field in ("entities", "optional_entities"):
            gold[field] = sorted({_company_id(reference, e) for e in gold[field]})
        rows.append({**item, "gold": gold})
    if missing:
        sys.exit(f"{len(missing)} items lack labels or adjudication, e.g. {missing[:5]}")
    test = stratified_split(rows, args.test_share, keep)
    with (
        args.train.open("w", encoding="utf-8") as train_out,
        args.test.open("w", encoding="utf-8") as test_out,
    ):
        for row in rows:
            if row["id"] in test:
                test_out.write(json.dumps({**row, "split": "test"}, ensure_ascii=False) + "\n")
            else:
                train_out.write(json.dumps({**row, "split": "train"}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} items: {len(rows) - len(test)} training, {len(test)} test", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("agreement", "disagreements", "build"):
        command = sub.add_parser(name)
        command.add_argument("raw", type=Path)
        command.add_argument("a", type=Path)
        command.add_argument("b", type=Path)
        if name == "build":
            command.add_argument("adjudicated", type=Path)
            command.add_argument("--train", type=Path, required=True)
            command.add_argument("--test", type=Path, required=True)
            command.add_argument("--test-share", type=float, default=0.35)
            command.add_argument("--keep-in-train", type=Path, nargs="*", default=[])
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args)
        return
    a_rows, b_rows = read_jsonl(args.a), read_jsonl(args.b)
    if args.command == "agreement":
        print(json.dumps(agreement(a_rows, b_rows), indent=1))
        return
    raw = {r["id"]: r for r in read_jsonl(args.raw)}
    b_by_id = {r["id"]: r for r in b_rows}
    for a in a_rows:
        b = b_by_id.get(a["id"])
        fields = disagreement(a, b) if b is not None else ["missing"]
        if fields and a["id"] in raw:
            item = raw[a["id"]]
            row = {"id": a["id"], "title": item.get("title"), "text": item.get("text"),
                   "differ": fields, "first": a, "second": b}  # fmt: skip
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()

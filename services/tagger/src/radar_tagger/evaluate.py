"""Scores the tagger on labelled files, each reported on its own.

    python -m radar_tagger.evaluate [--rules-only] [--model PATH] [--bootstrap N] [--json] FILE...

A labelled row carries ``gold`` (themes with accepted polarities, sectors, entities, each
with optional labels that count neither for nor against; optionally sentiment and
quantities, see docs/annotation-guideline.md). A row without ``gold`` is background: only
whether the tagger fires on it counts; a row whose gold has a sentiment and no themes is
scored on sentiment alone. For each file: micro precision, recall and F1 on
themes (and per theme), sectors and entities; polarity accuracy on the themes found, also
on gold negative or neutral themes alone, with a confusion table; background items with any
theme; document sentiment; quantities' sign, unit and period; the Chinese part on its own;
and 95% bootstrap intervals (documents resampled) for the headline figures.
"""

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from radar_reference import load_companies
from radar_schemas import Quantity, Theme

from .domain.model import ModelError
from .domain.quantities import quantities
from .domain.tagger import Tagger, TagResult, same_figure
from .loading import build_tagger

T = TypeVar("T")

# Equivalent listings of one company count as one entity.
SAME_ENTITY = {
    "0700.HK": "TCEHY",
    "9999.HK": "NTES",
    "9988.HK": "BABA",
    "GOOG": "GOOGL",
    "NTDOY": "7974.T",
    "2330.TW": "TSM",
    "CHANGXIN-KEJI": "688825.SS",  # labelled before its listing (长鑫科技, 688825)
}
POLARITIES = ("positive", "negative", "neutral")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[str], gold: set[str], optional: set[str]) -> None:
        found = found - (optional - gold)
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass
class DocumentScore:
    """What one document contributes to each figure (summed over documents, resampled)."""

    themes: Counts = field(default_factory=Counts)
    sectors: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    per_theme: dict[str, Counts] = field(default_factory=dict)
    polarity: list[tuple[str, str, bool]] = field(default_factory=list)  # gold, found, right
    background: bool = False
    fired: bool = False
    sentiment: tuple[str, str] | None = None  # gold, found
    figures: list["FigureScore"] = field(default_factory=list)
    chinese: bool = False
    labelled: bool = False  # carries theme labels (not background, not sentiment-only)


@cache
def _listings() -> dict[str, str]:
    """Every ticker and listing of a reference company -> its id (upper-case)."""
    return {t.upper(): c.id.upper() for c in load_companies().companies for t in c.tickers}


def canonical(entity: str) -> str:
    """One spelling per company: a listing stands for its company's id."""
    upper = entity.upper()
    upper = SAME_ENTITY.get(upper, upper)
    return _listings().get(upper, upper)


def score_document(tagger: Tagger, row: dict[str, Any]) -> DocumentScore:
    title, text = row.get("title") or "", row.get("text") or ""
    result: TagResult = tagger.tag(title, text)
    gold = row.get("gold")
    score = DocumentScore(chinese=row.get("lang") == "zh", fired=result.relevant)
    if gold is None:
        score.background = True
        return score
    if gold.get("sentiment") in POLARITIES:
        score.sentiment = (gold["sentiment"], result.sentiment.value)
    if "themes" not in gold:  # a sentiment-only row
        return score
    score.background = not gold["themes"]
    score.labelled = bool(gold["themes"])
    found = {t.theme.value: t.polarity.value for t in result.themes}
    optional = set(gold.get("optional_themes", []))
    score.themes.add(set(found), set(gold["themes"]), optional)
    for each in Theme:
        counts = score.per_theme.setdefault(each.value, Counts())
        counts.add(set(found) & {each.value}, set(gold["themes"]) & {each.value}, optional)
    score.sectors.add(
        {s.sector.value for s in result.sectors},
        set(gold["sectors"]),
        set(gold.get("optional_sectors", [])),
    )
    score.entities.add(
        {canonical(e.entity_id) for e in result.entities},
        {canonical(e) for e in gold["entities"]},
        {canonical(e) for e in gold.get("optional_entities", [])},
    )
    for theme, polarity in found.items():
        if theme in gold["themes"]:
            accepted = gold["themes"][theme]
            score.polarity.append((accepted[0], polarity, polarity in accepted))
    # Figures count in items with a theme only (docs/annotation-guideline.md §7: a background
    # item may carry figures, they are not scored there, whatever the tagger reports).
    labelled = gold.get("quantities", []) if gold["themes"] else []
    headline = quantities(title, in_title=True) if labelled else []  # read once per document
    score.figures = [_figure(q, result.quantities, title, text, headline) for q in labelled]
    return score


def _figure(
    gold: dict[str, Any],
    found: list[Quantity],
    title: str,
    text: str,
    headline: list[Quantity] | None = None,
) -> "FigureScore":
    """Whether a labelled figure was found (a quantity over its text), its sign, unit and
    period all right, and whether it is marked guidance (a forecast, an estimate), given its
    prior and tied to its company as labelled."""
    surface = gold.get("text") or ""
    spans = [(False, i) for i in _where(text, surface)] + [
        (True, i) for i in _where(title, surface)
    ]
    for quantity in found:
        for in_title, start in spans:
            end = start + len(surface)
            if quantity.in_title == in_title and quantity.start < end and start < quantity.end:
                return _judged(quantity, gold)
    # A headline figure the body states again is reported once, from the body (with the
    # body's context): the body's statement is the labelled headline figure.
    for start in (start for in_title, start in spans if in_title):
        end = start + len(surface)
        for stated in quantities(title, in_title=True) if headline is None else headline:
            if stated.start < end and start < stated.end:
                for quantity in found:
                    if not quantity.in_title and same_figure(stated, quantity):
                        return _judged(quantity, gold)
    return FigureScore(False, False, False, None, None)


class FigureScore(NamedTuple):
    """One labelled figure against the tagger's: prior and company are None when the label
    gives none; guidance, prior and company are read of a figure found."""

    found: bool
    right: bool  # sign, unit and period all as labelled
    guidance: bool
    prior: bool | None
    company: bool | None


def _judged(quantity: Quantity, gold: dict[str, Any]) -> FigureScore:
    """A labelled figure found: sign, unit and period right, guidance as labelled, the prior
    as labelled (within 2%) and the company as labelled (None when the label gives no prior,
    or no company)."""
    prior = gold.get("prior")
    same_prior = None
    if prior is not None:
        same_prior = quantity.prior is not None and abs(
            quantity.prior - float(prior)
        ) <= 0.02 * abs(float(prior))
    company = gold.get("company")
    same_company = None
    if company:
        same_company = quantity.company is not None and canonical(quantity.company) == canonical(
            str(company)
        )
    return FigureScore(
        True, _right(quantity, gold), _guidance(quantity, gold), same_prior, same_company
    )


def _right(quantity: Quantity, gold: dict[str, Any]) -> bool:
    """Sign, unit and period all as labelled."""
    return (
        (quantity.value < 0) == (float(gold.get("value") or 0) < 0)
        and quantity.unit.lower() == str(gold.get("unit", "")).lower()
        and quantity.period == gold.get("period")
    )


def _guidance(quantity: Quantity, gold: dict[str, Any]) -> bool:
    return quantity.guidance == bool(gold.get("guidance"))


def _where(text: str, surface: str) -> list[int]:
    out, start = [], text.find(surface) if surface else -1
    while start >= 0:
        out.append(start)
        start = text.find(surface, start + 1)
    return out


@dataclass
class Report:
    """The figures of one file (or of a resample of its documents)."""

    documents: int
    labelled: int
    themes: tuple[float, float, float]
    sectors: tuple[float, float, float]
    entities: tuple[float, float, float]
    per_theme: dict[str, tuple[float, float, float, int]]
    polarity_accuracy: float | None
    polarity_negative_neutral: float | None
    confusion: dict[str, dict[str, int]]
    background_documents: int
    background_fired: float | None
    sentiment_accuracy: float | None
    figures: int
    figures_found: float | None
    figures_right: float | None
    figures_guidance: float | None  # of the figures found
    figures_prior: float | None  # of the figures found whose label gives a prior
    figures_with_prior: int
    figures_company: float | None  # of the figures found whose label names a company
    figures_with_company: int


def summarise(scores: list[DocumentScore], detail: bool = True) -> Report:
    """The figures of these documents; without ``detail`` (a bootstrap resample, of which
    only the headline figures are read) no per-theme table."""
    themes, sectors, entities = Counts(), Counts(), Counts()
    per_theme = {t.value: Counts() for t in Theme} if detail else {}
    confusion = {g: dict.fromkeys(POLARITIES, 0) for g in POLARITIES}
    polarity, figures, sentiment = [], [], []
    background = [s for s in scores if s.background]
    for s in scores:
        themes += s.themes
        sectors += s.sectors
        entities += s.entities
        if detail:
            for theme, counts in s.per_theme.items():
                per_theme[theme] += counts
        for gold, found, right in s.polarity:
            confusion[gold][found] += 1
            polarity.append((gold, right))
        figures += s.figures
        if s.sentiment:
            sentiment.append(s.sentiment[0] == s.sentiment[1])
    gold_themes = Counter(g for s in scores for g, _, _ in s.polarity)
    not_positive = [right for gold, right in polarity if gold != "positive"]
    return Report(
        documents=len(scores),
        labelled=sum(s.labelled for s in scores),
        themes=themes.scores(),
        sectors=sectors.scores(),
        entities=entities.scores(),
        per_theme={t: (*c.scores(), c.tp + c.fn) for t, c in per_theme.items()},
        polarity_accuracy=_share([right for _, right in polarity]),
        polarity_negative_neutral=_share(not_positive),
        confusion=confusion if gold_themes else {},
        background_documents=len(background),
        background_fired=_share([s.fired for s in background]),
        sentiment_accuracy=_share(sentiment),
        figures=len(figures),
        figures_found=_share([f.found for f in figures]),
        figures_right=_share([f.right for f in figures]),
        figures_guidance=_share([f.guidance for f in figures if f.found]),
        figures_prior=_share([f.prior for f in figures if f.found and f.prior is not None]),
        figures_with_prior=sum(1 for f in figures if f.found and f.prior is not None),
        figures_company=_share([f.company for f in figures if f.found and f.company is not None]),
        figures_with_company=sum(1 for f in figures if f.found and f.company is not None),
    )


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


HEADLINE: dict[str, Callable[[Report], float | None]] = {
    "theme F1": lambda r: r.themes[2] if r.labelled else None,
    "entity F1": lambda r: r.entities[2] if r.labelled else None,
    "sector F1": lambda r: r.sectors[2] if r.labelled else None,
    "polarity": lambda r: r.polarity_accuracy,
    "polarity neg/neutral": lambda r: r.polarity_negative_neutral,
    "background with a theme": lambda r: r.background_fired,
    "sentiment": lambda r: r.sentiment_accuracy,
}


def bootstrap(
    scores: list[DocumentScore], rounds: int, seed: int = 1
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of the headline figures, documents drawn with replacement."""
    if rounds <= 0 or not scores:
        return {}
    samples: dict[str, list[float]] = {name: [] for name in HEADLINE}
    for drawn in resamples(scores, rounds, seed):
        report = summarise(drawn, detail=False)
        for name, figure in HEADLINE.items():
            value = figure(report)
            if value is not None:
                samples[name].append(value)
    return {name: interval(values) for name, values in samples.items() if values}


def resamples(items: Sequence[T], rounds: int, seed: int = 1) -> Iterator[list[T]]:
    """`rounds` bootstrap resamples: as many items as there are, drawn with replacement."""
    draw = random.Random(seed)
    for _ in range(rounds):
        yield draw.choices(items, k=len(items))


def interval(values: list[float]) -> tuple[float, float]:
    """The 95% percentile interval of a statistic over bootstrap resamples."""
    ordered = sorted(values)
    return ordered[int(0.025 * len(ordered))], ordered[int(0.975 * len(ordered)) - 1]


def evaluate(tagger: Tagger, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline figures of labelled rows (kept for callers of the earlier API)."""
    report = summarise([score_document(tagger, row) for row in rows])
    return {
        "documents": report.documents,
        "themes": report.themes,
        "sectors": report.sectors,
        "entities": report.entities,
        "polarity_accuracy": report.polarity_accuracy,
    }


def background_fp_rate(tagger: Tagger, rows: list[dict[str, Any]]) -> float:
    fired = sum(tagger.tag(r.get("title") or "", r.get("text") or "").relevant for r in rows)
    return fired / len(rows) if rows else 0.0


def file_sets(
    specs: list[str], score: Callable[[dict[str, Any]], list[T]]
) -> Iterator[tuple[str, list[T]]]:
    """Each set of files named on the command line ("A.jsonl+B.jsonl" is one set of two),
    with its name and what `score` makes of its rows; a file in two sets is read once. A
    file that cannot be read stops the program with its name."""
    done: dict[Path, list[T]] = {}
    for joined in specs:
        paths = [Path(p) for p in joined.split("+")]
        scores: list[T] = []
        for path in paths:
            if path not in done:
                try:
                    rows = read_jsonl(path)
                except (OSError, ValueError) as exc:
                    sys.exit(f"{path}: {exc}")
                done[path] = [each for row in rows for each in score(row)]
            scores += done[path]
        yield " + ".join(path.name for path in paths), scores


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    # Lines end at "\n" only: str.splitlines would also split at U+2028 inside a string.
    lines = path.read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip()]


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def render(name: str, report: Report, intervals: dict[str, tuple[float, float]]) -> list[str]:
    lines = [
        f"== {name}: {report.documents} documents",
        f"{'':<30}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}",
    ]
    if report.labelled:
        for label, figures in (
            ("themes", report.themes),
            ("sectors", report.sectors),
            ("entities", report.entities),
        ):
            lines.append(f"{label:<30}{figures[0]:>10.3f}{figures[1]:>8.3f}{figures[2]:>7.3f}")
        for theme, (p, r, f1, gold) in report.per_theme.items():
            if gold:
                lines.append(f"  {theme:<28}{p:>10.3f}{r:>8.3f}{f1:>7.3f}{gold:>6}")
        if report.confusion:
            lines.append(
                "polarity confusion (rows gold, columns found): "
                + "  ".join(
                    f"{g[:3]}→" + "/".join(str(report.confusion[g][f]) for f in POLARITIES)
                    for g in POLARITIES
                )
                + "  (pos/neg/neu)"
            )
    lines.append(f"{'polarity on themes found':<30}{_fmt(report.polarity_accuracy):>10}")
    lines.append(f"{'polarity, gold neg/neutral':<30}{_fmt(report.polarity_negative_neutral):>10}")
    lines.append(f"{'document sentiment':<30}{_fmt(report.sentiment_accuracy):>10}")
    found, right = _fmt(report.figures_found, True), _fmt(report.figures_right, True)
    lines.append(
        f"{'figures found; sign+unit+period':<30}{found:>10}{right:>8}  of {report.figures}"
    )
    guidance = _fmt(report.figures_guidance, True)
    lines.append(f"{'  guidance as labelled (found)':<30}{guidance:>10}")
    prior = _fmt(report.figures_prior, True)
    lines.append(f"{'  prior as labelled (found)':<30}{prior:>10}  of {report.figures_with_prior}")
    company = _fmt(report.figures_company, True)
    lines.append(
        f"{'  company as labelled (found)':<30}{company:>10}  of {report.figures_with_company}"
    )
    fired = _fmt(report.background_fired, True)
    lines.append(f"{'background with any theme':<30}{fired:>10}  of {report.background_documents}")
    if intervals:
        lines.append(
            "95% bootstrap intervals: "
            + "; ".join(f"{name} {low:.3f}–{high:.3f}" for name, (low, high) in intervals.items())
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="+", help="labelled JSON lines; A.jsonl+B.jsonl scores the two as one set"
    )
    parser.add_argument("--rules-only", action="store_true", help="the rules without the model")
    parser.add_argument("--model", type=Path, help="a model file (default: the shipped one)")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        tagger = build_tagger(model_file=args.model, rules_only=args.rules_only)
    except ModelError as exc:
        sys.exit(str(exc))
    out: dict[str, Any] = {}
    for name, scores in file_sets(args.files, lambda row: [score_document(tagger, row)]):
        chinese = [s for s in scores if s.chinese]
        parts = [(name, scores)]  # the whole set first, then its Chinese items
        if 0 < len(chinese) < len(scores):
            parts.append((f"{name}, Chinese items", chinese))
        for name, part in parts:
            report, intervals = summarise(part), bootstrap(part, args.bootstrap)
            out[name] = {"report": report.__dict__, "bootstrap": intervals}
            if not args.json:
                print("\n".join(render(name, report, intervals)) + "\n")
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

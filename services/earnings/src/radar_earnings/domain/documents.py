"""Earnings press releases and call transcripts to documents for the tagger. Pure.

A text becomes a NewsItemIngested (kind press_release or transcript) linked to a company
(tickers) and a fiscal period (title and story id), or a rejection with the reason: an 8-K
that is not about results (no Item 2.02, no results wording) is not an earnings release.
A press release that states GAAP figures or targets also yields an EarningsReported.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from inscriptis import get_text  # type: ignore[import-untyped]

from radar_reference import CompanyRecord, ReferenceData
from radar_schemas import Company, DocumentKind, EarningsReported, NewsItemIngested
from radar_schemas.base import MAX_TEXT_CHARS
from radar_schemas.earnings import Metric

from .fiscal import fiscal_quarter
from .release import guidance, reported_figures

_NEW_YORK = ZoneInfo("America/New_York")  # EDGAR acceptance times are Eastern
_HEADER = re.compile(r"<SEC-HEADER>(.*?)</SEC-HEADER>", re.S)
_HEADER_CIK = re.compile(r"CENTRAL INDEX KEY:\s*(\d{1,10})")
_ACCEPTED = re.compile(r"<ACCEPTANCE-DATETIME>(\d{14})")
_ITEM = re.compile(r"\bItem\s+(\d\.\d\d)\b", re.I)
_RESULTS = re.compile(
    r"\b(?:reports?|reported|announces?|announced)\b.{0,120}\b(?:results|revenue|earnings)\b"
    r"|\bearnings\s+(?:conference\s+)?call\b|\bResults of Operations and Financial Condition\b",
    re.I | re.S,
)
_TRANSCRIPT = re.compile(r"\b(?:earnings|conference)\s+call\b|\bOperator\b", re.I)
_TICKER = re.compile(
    r"\((?:NASDAQ|NYSE|Nasdaq|NYSE American)\s*:\s*([A-Z.]{1,6})\)|\(([A-Z]{1,5})\)"
)
_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(\d{1,2}),\s+(\d{4})\b"
)
_TAGS = re.compile(r"<(?:html|body|div|p|table|font|br)\b", re.I)
# The fiscal years an EarningsReported accepts; a text naming another is not about results.
_FISCAL_YEARS = range(1900, 2201)


class NotEarnings(ValueError):
    """The text is not an earnings release or transcript, or cannot be linked."""


@dataclass(frozen=True)
class EarningsText:
    """What the parser needs besides the text itself."""

    name: str  # file name, for the source label and messages
    fetched_at: datetime  # used as the publication time when the text gives none


def plain_text(raw: str) -> str:
    """The text of an HTML exhibit (tables laid out as text), or the text itself."""
    return get_text(raw) if _TAGS.search(raw[:5_000]) else raw


def _company(text: str, header: str, companies: ReferenceData) -> CompanyRecord | None:
    cik = _HEADER_CIK.search(header)
    if cik and f"{int(cik.group(1)):010d}" in companies.by_cik:
        return companies.by_cik[f"{int(cik.group(1)):010d}"]
    head = text[:3_000]
    for match in _TICKER.finditer(head):
        ticker = (match.group(1) or match.group(2)).upper()
        if ticker in companies.by_ticker:
            return companies.by_ticker[ticker]
    # An earnings text is about a company, so its name counts even when ambiguous elsewhere.
    names = [
        (alias, c)
        for c in companies.companies
        if c.ticker
        for alias in (c.name, *c.aliases)
        if alias == c.name or alias not in c.ambiguous
    ]
    found = [
        (head.find(alias), -len(alias), c.id)
        for alias, c in names
        if re.search(rf"\b{re.escape(alias)}\b", head)
    ]
    return companies.by_id[min(found)[2]] if found else None


def _published(text: str, header: str, fetched_at: datetime) -> tuple[datetime, bool]:
    """The acceptance time, else the first date in the opening, else ``fetched_at``
    (estimated). A time or date that does not exist (20231399…, February 30) is no date."""
    accepted = _ACCEPTED.search(header)
    if accepted:
        try:
            local = datetime.strptime(accepted.group(1), "%Y%m%d%H%M%S")
        except ValueError:
            pass
        else:
            return local.replace(tzinfo=_NEW_YORK).astimezone(UTC), False
    dated = _DATE.search(text[:3_000])
    if dated:
        try:
            day = datetime.strptime(" ".join(dated.groups()), "%B %d %Y")
        except ValueError:
            pass
        else:
            return day.replace(tzinfo=UTC), False
    return fetched_at, True


def _check_earnings(text: str, header: str) -> None:
    items = set(_ITEM.findall(header + text[:20_000]))
    if "Results of Operations and Financial Condition" in header or "2.02" in items:
        return
    if items:
        raise NotEarnings(f"an 8-K with items {', '.join(sorted(items))}, none of them 2.02")
    if not _RESULTS.search(text[:5_000]):
        raise NotEarnings("no results wording in the opening")


@dataclass(frozen=True)
class EarningsOutputs:
    """What an earnings text yields: always a document; for a press release that states
    results or targets, also the reported figures."""

    document: NewsItemIngested
    report: EarningsReported | None


def _release_report(
    item: NewsItemIngested, company: CompanyRecord, period: tuple[int, str]
) -> EarningsReported | None:
    figures, targets = reported_figures(item.text), guidance(item.text)
    if not figures and not targets:
        return None
    return EarningsReported(
        report_id=f"{company.ticker}:{period[0]}{period[1]}:press_release",
        company=Company(ticker=company.ticker or company.id, name=company.name, cik=company.cik),
        fiscal_year=period[0],
        fiscal_period=period[1],
        report_date=item.published_at.date(),
        source="press_release",
        metrics={m: Metric(actual=value, unit=unit) for m, (value, unit) in figures.items()},
        guidance=targets,
        reported_at=None if item.published_estimated else item.published_at,
    )


def read_earnings_text(raw: str, meta: EarningsText, companies: ReferenceData) -> EarningsOutputs:
    """The document (and report) an earnings text yields; NotEarnings with the reason."""
    header_match = _HEADER.search(raw)
    header = header_match.group(1) if header_match else ""
    body = raw[header_match.end() :] if header_match else raw
    # A longer text is cut rather than dropped: the results come first.
    text = plain_text(body).strip()[:MAX_TEXT_CHARS]
    _check_earnings(text, header)
    period = fiscal_quarter(text)
    if period is None:
        raise NotEarnings("no fiscal quarter named in the opening")
    if period[0] not in _FISCAL_YEARS:
        raise NotEarnings(f"fiscal year {period[0]} named in the opening is not plausible")
    company = _company(text, header, companies)
    if company is None or company.ticker is None:
        raise NotEarnings("no listed company of the reference data named in the opening")
    transcript = bool(_TRANSCRIPT.search(text[:2_000])) and "Exhibit 99" not in text[:2_000]
    kind = DocumentKind.TRANSCRIPT if transcript else DocumentKind.PRESS_RELEASE
    fiscal_year, quarter = period
    what = "earnings call transcript" if transcript else "earnings release"
    published_at, estimated = _published(text, header, meta.fetched_at)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    item = NewsItemIngested(
        item_id=f"earnings-doc:{company.ticker}:{fiscal_year}{quarter}:{kind.value}:{digest}",
        source=meta.name[:128] or "earnings",
        kind=kind,
        title=f"{company.name} ({company.ticker}) {quarter} fiscal {fiscal_year} {what}",
        text=text,
        published_at=published_at,
        published_estimated=estimated,
        story_id=f"earnings:{company.ticker}:{fiscal_year}{quarter}",
        tickers=(company.ticker,),
    )
    report = None if transcript else _release_report(item, company, period)
    return EarningsOutputs(item, report)


def earnings_document(raw: str, meta: EarningsText, companies: ReferenceData) -> NewsItemIngested:
    """The tagger document an earnings text yields; NotEarnings with the reason otherwise."""
    return read_earnings_text(raw, meta, companies).document

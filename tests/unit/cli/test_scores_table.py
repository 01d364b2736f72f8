"""The plain table of `radar scores`: a row per sector and the document at its top."""

from datetime import UTC, datetime

from radar_cli.scores import render
from radar_schemas import Contribution, Sector, SectorScored

AT = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)


def row(sector: Sector, title: str, quote: str = "") -> SectorScored:
    top = Contribution(document_id="d1", title=title, quote=quote, delta=0.4, at=AT)
    return SectorScored(
        sector=sector, as_of=AT, score=0.4, attention=1.0, signals=1, top_contributors=(top,)
    )


def test_a_long_title_is_cut_at_a_word_and_an_untitled_document_shows_its_quote() -> None:
    title = (
        "Tencent's quarterly revenue beats estimates as AI-driven advertising and games lift "
        "its results"
    )
    table = render(
        [row(Sector.GAMING, title), row(Sector.MARKETING, "", "Ad revenue rose 20% on AI tools.")],
        AT,
    ).splitlines()
    tops = [line.strip() for line in table if line.strip().startswith("top:")]
    assert tops[0] == (
        "top: Tencent's quarterly revenue beats estimates as AI-driven advertising… "
        "(2026-11-20 09:30Z)"
    )
    assert tops[1] == "top: Ad revenue rose 20% on AI tools. (2026-11-20 09:30Z)"

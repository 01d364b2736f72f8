"""HTML to plain text."""

import re
from html import unescape
from html.parser import HTMLParser

_SKIP = {"script", "style", "template", "noscript"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
# Runs of spaces, tabs and no-break spaces, but not a lone space (most word gaps): replacing
# that with itself took most of the time.
_SPACE = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")
# Whitespace around a line break. Matched from the start of a run only: tried at every start
# inside a long run without a line break (Unicode spaces the pattern above leaves), it scanned
# to the end of the run each time, quadratic (a 480 KB feed took 22 s). Same matches.
_LINES = re.compile(r"(?<!\s)\s*\n\s*")
# html.parser before Python 3.13.4 rescans the rest of the markup once for each unterminated
# construct left at the end (``<a`` with no ``>``, ``<!--`` with no ``-->``): quadratic on
# markup made of them. Past this many, the rest is read as text with tag-like runs dropped.
_MAX_UNTERMINATED = 32
_TAG_LIKE = re.compile(r"<[^<>]*>")
# What a cut excerpt ends with before WordPress's feed footer ("… dangers […] The post …").
_CUT_MARKS = ("[…]", "[...]", "…", "...")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # Python before 3.13 raises AssertionError on an unknown keyword (``<![x[``); newer
        # versions read it as a bogus comment, as browsers do.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i)

    def close(self) -> None:
        if self.rawdata.count("<") > _MAX_UNTERMINATED:
            self.handle_data(unescape(_TAG_LIKE.sub("", self.rawdata)))
            self.rawdata = ""
        super().close()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: script and style dropped, entities decoded,
    whitespace collapsed (paragraph breaks kept as single newlines)."""
    if "<" in markup or "&" in markup:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        markup = "".join(extractor.parts)
    return plain_text(markup)  # without tags or entities there is nothing to parse


def without_footer(text: str, title: str) -> str:
    """The text without the footer WordPress adds to every feed item, "The post <its title>
    appeared first on <site>.", which says nothing of the story (a card quoting it quoted the
    title and the site); a cut excerpt before it ends with "…"."""
    marker = f"The post {title.strip()} appeared first on "
    at = text.rfind(marker) if title.strip() else -1
    if at < 0 or "\n" in text[at + len(marker) :].strip() or len(text) - at > len(marker) + 120:
        return text
    kept = text[:at].rstrip()
    mark = next((m for m in _CUT_MARKS if kept.endswith(m)), "")
    return kept[: -len(mark)].rstrip() + "…" if mark else kept


def plain_text(text: str) -> str:
    """Plain text with its whitespace collapsed as ``html_to_text`` collapses it: for text
    that is not markup (a JSON Feed's ``content_text``), where escaping it to parse it as
    HTML gave the same result at several times the cost."""
    text = _SPACE.sub(" ", text)
    return (_LINES.sub("\n", text) if "\n" in text else text).strip()

"""HTML to plain text."""

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "template", "noscript"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
# Runs of spaces, tabs and no-break spaces, but not a lone space (most word gaps): replacing
# that with itself took most of the time.
_SPACE = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")
_LINES = re.compile(r"\s*\n\s*")


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


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: script and style dropped, entities decoded,
    whitespace collapsed (paragraph breaks kept as single newlines)."""
    if "<" in markup or "&" in markup:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        markup = "".join(extractor.parts)
    return plain_text(markup)  # without tags or entities there is nothing to parse


def plain_text(text: str) -> str:
    """Plain text with its whitespace collapsed as ``html_to_text`` collapses it: for text
    that is not markup (a JSON Feed's ``content_text``), where escaping it to parse it as
    HTML gave the same result at several times the cost."""
    text = _SPACE.sub(" ", text)
    return (_LINES.sub("\n", text) if "\n" in text else text).strip()

"""The SAX driver feedparser uses for strict parsing: the standard expat reader with
defusedxml's policy on entities, and errors that let feedparser fall back to its loose parser.

Expat 2.5.0 (bundled with this interpreter) overflows its stack expanding tens of thousands
of nested entities: the process dies with SIGSEGV. So a document type with an internal subset
is refused as soon as expat reports its start, before expat reads a single declaration or
reference in it; entity declarations (reachable only through such a subset) are refused too.
Either way the strict parse stops with a SAXException, on which feedparser reparses the
document with its own loose parser, which never expands declared entities: items are still
recovered and the refusal is reported as the feed's problem.

feedparser picks its driver by module name from ``feedparser.api.PREFERRED_XML_PARSERS``
(the list exists for that); ``install`` puts this module first.
"""

from typing import Any
from xml.sax import SAXException
from xml.sax.expatreader import ExpatParser

import feedparser.api


class DtdForbidden(SAXException):
    """The document declares a DTD internal subset or an entity: refused, as defusedxml does."""


class SafeExpatParser(ExpatParser):
    """ExpatParser that refuses internal DTD subsets and entity declarations, and reports
    any other failure of the strict pass as a SAXException."""

    _parser: Any  # the pyexpat parser the base class creates in reset()

    def reset(self) -> None:
        super().reset()
        parser = self._parser
        parser.StartDoctypeDeclHandler = self._start_doctype
        parser.EntityDeclHandler = self._entity_declared
        parser.UnparsedEntityDeclHandler = self._entity_declared

    def feed(self, data: Any, isFinal: bool = False) -> None:
        try:
            super().feed(data, isFinal)
        except SAXException:
            raise
        except Exception as exc:  # e.g. a content handler choking on odd text: go loose
            raise SAXException(f"{type(exc).__name__}: {exc}", exc) from exc

    def _start_doctype(
        self, name: str, system_id: str | None, public_id: str | None, internal_subset: int
    ) -> None:
        if internal_subset:
            raise DtdForbidden(f"DTD internal subset of <!DOCTYPE {name}> refused")

    def _entity_declared(self, name: str, *_: Any) -> None:
        raise DtdForbidden(f"DTD entity declaration {name!r} refused")


def create_parser() -> SafeExpatParser:
    """The SAX driver entry point ``xml.sax.make_parser`` calls."""
    return SafeExpatParser()


def install() -> None:
    """Make feedparser's strict pass use this driver (idempotent)."""
    drivers = feedparser.api.PREFERRED_XML_PARSERS
    if not drivers or drivers[0] != __name__:
        drivers.insert(0, __name__)

"""structlog, configured once: console on a TTY, JSON otherwise, secrets redacted."""

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog

REDACTED = "***"
_SECRET_KEY = re.compile(r"(secret|password|passwd|authorization|api_key|apikey|credential)", re.I)
_URL_CREDENTIALS = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]+@", re.I
)
_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")

# The entry a consumer is handling (correlation id, event id, stream), added to every log
# line written meanwhile. One context variable set per entry: structlog's
# bound_contextvars, which binds and unbinds each key, cost about 15 µs an entry.
EVENT_CONTEXT: ContextVar[Mapping[str, str] | None] = ContextVar("radar_event", default=None)


def redact_text(text: str) -> str:
    """Hide passwords in URLs and webhook secrets inside free text."""
    text = _URL_CREDENTIALS.sub(rf"\g<scheme>\g<user>:{REDACTED}@", text)
    return _WEBHOOK_SECRET.sub(f"whsec_{REDACTED}", text)


def redact(value: Any, key: str = "") -> Any:
    """A copy of value with secret-looking keys and embedded credentials hidden."""
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact(v) for v in value)
    return value


def _add_event_context(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    context = EVENT_CONTEXT.get()
    if context:
        for key, value in context.items():
            event_dict.setdefault(key, value)
    return event_dict


def _redact_processor(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return {key: redact(value, key) for key, value in event_dict.items()}


def configure_logging(level: str = "info", fmt: str = "auto") -> None:
    """Configure structlog and the standard library's logging to write one line per event."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    )
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_event_context,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _redact_processor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Libraries (uvicorn, faststream) log through the standard library: quiet them to warnings.
    logging.basicConfig(level=max(numeric, logging.WARNING), stream=sys.stderr)


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)

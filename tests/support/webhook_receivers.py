"""Real local HTTP servers that play webhook receivers: scripted answers (status, headers),
an optional gate that holds every answer until the test opens it, every request recorded."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from radar_schemas import AlertEvidence, AlertRaised, AlertStatus, EventType, Severity, new_event


@dataclass
class Request:
    """A request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ScriptedReceiver:
    """Answers with ``script`` in order, then ``default_status``."""

    url: str = ""
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    default_status: int = 200
    gate: threading.Event | None = None
    requests: list[Request] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self, request: Request) -> tuple[int, dict[str, str]]:
        with self.lock:
            self.requests.append(request)
            self.arrived.set()
            return self.script.pop(0) if self.script else (self.default_status, {})


@contextmanager
def scripted_receiver(host: str = "127.0.0.1", **options: Any) -> Iterator[ScriptedReceiver]:
    """A receiver on a free port of ``host``, stopped at the end."""
    receiver = ScriptedReceiver(**options)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra = receiver.next_answer(Request(self.path, headers, body))
            if receiver.gate is not None:
                receiver.gate.wait(30)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server_class = ThreadingHTTPServer
    server = server_class((host, 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://{host}:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.gate is not None:
            receiver.gate.set()
        server.shutdown()
        server.server_close()


def alert_event(sector: str = "gaming", severity: Severity = Severity.WARNING) -> Any:
    """An AlertRaised envelope as the alerter emits it."""
    starts = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    alert = AlertRaised(
        fingerprint=f"fp-{sector}",
        rule="sector_score_high",
        status=AlertStatus.FIRING,
        severity=severity,
        labels={"sector": sector},
        summary=f"{sector}: AI monetization score 1.4 above 1.0",
        evidence=(
            AlertEvidence(
                document_id="n-1",
                title="Studio ships AI-generated levels",
                url="https://example.com/n-1",
            ),
        ),
        score=1.4,
        starts_at=starts,
        correlation_ids=("n-1",),
    )
    return new_event(
        EventType.ALERT_RAISED,
        alert,
        producer="alerter",
        correlation_id="n-1",
        occurred_at=starts + timedelta(minutes=1),
    )

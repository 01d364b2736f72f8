"""Real local HTTP servers that play webhook receivers: scripted answers (status, headers),
an optional gate that holds every answer until the test opens it (the receiver counts the
requests it is holding), an optional large answer body, every request recorded."""

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
    """Answers with ``script`` in order, then ``default_status``; each answer carries
    ``body_size`` bytes of body. ``held`` counts the requests waiting at the gate now;
    ``sent`` and ``cut_off`` tell how much body went out and whether the client closed the
    connection before all of it (``answered`` is set once an answer is over)."""

    url: str = ""
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    default_status: int = 200
    gate: threading.Event | None = None
    body_size: int = 0
    requests: list[Request] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    held: int = 0
    sent: int = 0
    cut_off: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self, request: Request) -> tuple[int, dict[str, str]]:
        with self.lock:
            self.requests.append(request)
            self.arrived.set()
            return self.script.pop(0) if self.script else (self.default_status, {})

    def wait_at_gate(self, gate: threading.Event) -> None:
        with self.lock:
            self.held += 1
        try:
            gate.wait(30)
        finally:
            with self.lock:
                self.held -= 1

    def send_body(self, out: Any) -> bool:
        """Write the body in 64 KiB pieces; False when the client closed the connection."""
        piece = b"x" * 65_536
        try:
            while self.sent < self.body_size:
                size = min(len(piece), self.body_size - self.sent)
                out.write(piece[:size])
                self.sent += size
        except OSError:  # broken pipe or reset: the client stopped reading and closed
            self.cut_off = True
        return not self.cut_off


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
                receiver.wait_at_gate(receiver.gate)
            try:
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(receiver.body_size))
                self.end_headers()
                if not receiver.send_body(self.wfile):
                    self.close_connection = True
            finally:
                receiver.answered.set()

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

"""One declared topology: the services' manifests against compose, Kubernetes, Prometheus and
AsyncAPI, against each real service's registered consumers and tasks, its port and
``radar up``'s, and against what the CLI imports. Each check is also shown failing on a copy
broken on purpose, so that a green run means agreement, not a check that cannot fail."""

import ast
import copy
import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from radar_runtime import Runtime, RuntimeMetrics, RuntimeSettings, connect
from radar_schemas import EventType, Streams
from radar_schemas.topology import MANIFESTS, ServiceManifest, StreamRead

from .topology_checks import (
    asyncapi_problems,
    compose_problems,
    kubernetes_problems,
    prometheus_problems,
    topology_problems,
)

ROOT = Path(__file__).resolve().parents[3]


def load_yaml(path: str) -> Any:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def k8s_documents() -> list[dict[str, Any]]:
    text = (ROOT / "deploy/k8s/radar.yaml").read_text(encoding="utf-8")
    return [d for d in yaml.safe_load_all(text) if d]


def with_manifest(name: str, **changes: Any) -> dict[str, ServiceManifest]:
    """The manifests with one service's changed."""
    return {**MANIFESTS, name: dataclasses.replace(MANIFESTS[name], **changes)}


def test_the_manifests_agree_among_themselves() -> None:
    assert topology_problems(MANIFESTS) == []
    broken = {
        **with_manifest("scorer", reads=(StreamRead("alerts", {EventType.ALERT_RAISED: "x"}),)),
        "notifier": dataclasses.replace(MANIFESTS["notifier"], port=9104),
    }
    del broken["alerter"]  # nobody writes alerts now
    problems = topology_problems(broken)
    assert any("alert.raised from alerts, which no service writes" in p for p in problems)
    assert any("not unique" in p for p in problems)


def test_every_deployment_file_agrees_with_the_manifests() -> None:
    assert compose_problems(MANIFESTS, load_yaml("docker-compose.yml")) == []
    assert kubernetes_problems(MANIFESTS, k8s_documents(), Streams()) == []
    assert prometheus_problems(MANIFESTS, load_yaml("deploy/prometheus/prometheus.yml")) == []
    committed = json.loads((ROOT / "docs/asyncapi.json").read_text(encoding="utf-8"))
    assert asyncapi_problems(MANIFESTS, committed) == []


def compose_wrong_port(doc: Any) -> None:
    doc["services"]["tagger"]["environment"]["RADAR_HTTP_PORT"] = "9999"


def compose_missing_service(doc: Any) -> None:
    del doc["services"]["notifier"]


def k8s_missing_stream(docs: Any) -> None:
    (scaled,) = [
        d
        for d in docs
        if d["kind"] == "ScaledObject" and d["spec"]["scaleTargetRef"]["name"] == "radar-alerter"
    ]
    scaled["spec"]["triggers"] = [
        t for t in scaled["spec"]["triggers"] if t["metadata"]["stream"] != "radar:earnings"
    ]


def k8s_wrong_scrape_port(docs: Any) -> None:
    (news,) = [
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "radar-news"
    ]
    news["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] = "9102"


def prometheus_wrong_port(doc: Any) -> None:
    doc["scrape_configs"][0]["static_configs"][0]["targets"] = ["news:9100"]


def asyncapi_missing_read(doc: Any) -> None:
    del doc["operations"]["scorer_receives_earnings"]


CHECKS: dict[str, tuple[Callable[[], Any], Callable[[Any], list[str]]]] = {
    "compose": (lambda: load_yaml("docker-compose.yml"), lambda d: compose_problems(MANIFESTS, d)),
    "kubernetes": (k8s_documents, lambda d: kubernetes_problems(MANIFESTS, d, Streams())),
    "prometheus": (
        lambda: load_yaml("deploy/prometheus/prometheus.yml"),
        lambda d: prometheus_problems(MANIFESTS, d),
    ),
    "asyncapi": (
        lambda: json.loads((ROOT / "docs/asyncapi.json").read_text(encoding="utf-8")),
        lambda d: asyncapi_problems(MANIFESTS, d),
    ),
}


@pytest.mark.parametrize(
    ("kind", "damage", "reported"),
    [
        (
            "compose",
            compose_wrong_port,
            "compose: tagger has RADAR_HTTP_PORT '9999', its manifest says '9103'",
        ),
        ("compose", compose_missing_service, "compose: no service notifier"),
        ("kubernetes", k8s_missing_stream, "radar-alerter scales on lagCount of"),
        ("kubernetes", k8s_wrong_scrape_port, "radar-news has prometheus.io/port '9102'"),
        ("prometheus", prometheus_wrong_port, "prometheus: news scraped at ['news:9100']"),
        ("asyncapi", asyncapi_missing_read, "operation scorer_receives_earnings carries []"),
    ],
)
def test_a_deployment_file_that_disagrees_is_reported(
    kind: str, damage: Callable[[Any], None], reported: str
) -> None:
    load, check = CHECKS[kind]
    document = copy.deepcopy(load())
    damage(document)
    problems = check(document)
    assert any(reported in p for p in problems), problems


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_a_manifest_that_disagrees_with_a_file_is_reported(kind: str) -> None:
    """The other way round: a manifest changed (the alerter stops reading earnings, and
    moves to another port) while the file stays; every file's check notices."""
    load, _ = CHECKS[kind]
    reads = tuple(r for r in MANIFESTS["alerter"].reads if r.stream != "earnings")
    changed = with_manifest("alerter", reads=reads, port=9199)
    checks: dict[str, Callable[[Any], list[str]]] = {
        "compose": lambda d: compose_problems(changed, d),
        "kubernetes": lambda d: kubernetes_problems(changed, d, Streams()),
        "prometheus": lambda d: prometheus_problems(changed, d),
        "asyncapi": lambda d: asyncapi_problems(changed, d),
    }
    problems = checks[kind](load())
    assert problems and all("alerter" in p for p in problems), problems
    if kind in ("kubernetes", "asyncapi"):  # the files that name the streams read
        assert any("earnings" in p for p in problems), problems


def test_service_ports_and_radar_up_ports_come_from_the_manifests() -> None:
    from radar_alerter.settings import AlerterSettings
    from radar_cli.up import children, http_ports
    from radar_earnings.settings import EarningsSettings
    from radar_news.settings import NewsSettings
    from radar_notifier.settings import NotifierSettings
    from radar_scorer.settings import ScorerSettings
    from radar_tagger.settings import TaggerSettings

    settings: dict[str, type[RuntimeSettings]] = {
        "news": NewsSettings,
        "earnings": EarningsSettings,
        "tagger": TaggerSettings,
        "scorer": ScorerSettings,
        "alerter": AlerterSettings,
        "notifier": NotifierSettings,
    }
    assert list(settings) == list(MANIFESTS)
    for name, cls in settings.items():
        assert cls.model_fields["http_port"].default == MANIFESTS[name].port, name
    declared = {name: m.port for name, m in MANIFESTS.items()}
    specs = children({}, 9101)
    assert {s.name: int(s.env["RADAR_HTTP_PORT"]) for s in specs} == declared
    assert http_ports(19101) == {name: port + 10000 for name, port in declared.items()}
    assert set(http_ports(0).values()) == {0}


def cli_imports() -> dict[str, set[str]]:
    """Every module of a service that the CLI's source imports, by file."""
    services = tuple(f"radar_{name}" for name in MANIFESTS)
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "services/cli/src/radar_cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for module in names:
                if module.split(".")[0] in services:
                    found.setdefault(module, set()).add(path.name)
    return found


def test_the_cli_imports_only_the_entry_points_the_services_declare() -> None:
    imported = cli_imports()
    assert imported, "the CLI imports no service module: this test would prove nothing"
    undeclared = {
        module: files
        for module, files in imported.items()
        if module not in MANIFESTS[module.split(".")[0].removeprefix("radar_")].cli_entry_points
    }
    assert undeclared == {}, "declare these in radar_schemas.topology, or stop importing them"


def test_the_image_has_a_registry_name_tagged_with_the_version() -> None:
    version = re.search(
        r'^version = "(.+)"', (ROOT / "services/cli/pyproject.toml").read_text(), re.M
    )
    assert version is not None
    image = f"ghcr.io/radar/radar:{version.group(1)}"
    compose = load_yaml("docker-compose.yml")
    assert compose["services"]["news"]["image"] == f"${{RADAR_IMAGE:-{image}}}"
    images = {
        c["image"]
        for d in k8s_documents()
        if d["kind"] == "Deployment"
        for c in d["spec"]["template"]["spec"]["containers"]
    }
    assert images == {image}
    kustomization = load_yaml("deploy/k8s/kustomization.yaml")
    assert kustomization["images"] == [{"name": "ghcr.io/radar/radar", "newTag": version.group(1)}]


def test_the_runtime_refuses_what_its_manifest_does_not_declare() -> None:
    """A Runtime named after a service takes that service's manifest."""
    settings = RuntimeSettings(REDIS_URL="redis://127.0.0.1:1/0")
    rt = Runtime("scorer", settings, connect("redis://127.0.0.1:1/0"), RuntimeMetrics())
    assert rt.manifest is MANIFESTS["scorer"]
    assert Runtime("tool", settings, rt.redis, RuntimeMetrics()).manifest is None

    async def handler(event: Any, out: Any) -> None:
        return None

    with pytest.raises(ValueError, match=r"would read .* from news; its manifest declares nothing"):
        rt.consume(rt.streams.news, {EventType.NEWS_INGESTED: handler})
    with pytest.raises(ValueError, match="any event type"):
        rt.consume(rt.streams.tagged, handler)
    with pytest.raises(ValueError, match="would read"):  # a type too many
        rt.consume(
            rt.streams.tagged,
            {EventType.DOCUMENT_TAGGED: handler, EventType.NEWS_INGESTED: handler},
        )
    with pytest.raises(ValueError, match="names the handlers"):
        rt.consume_declared({"on_document": handler})
    with pytest.raises(ValueError, match="task 'rebuild', which its manifest does not declare"):
        rt.every("rebuild", 1.0, lambda: handler(None, None))
    assert rt.consumers == [] and rt.tasks == []
    rt.consume_declared({"on_document": handler, "on_earnings": handler})
    assert [(c.label, c.event_types) for c in rt.consumers] == [
        ("tagged", frozenset({EventType.DOCUMENT_TAGGED})),
        ("earnings", frozenset({EventType.EARNINGS_REPORTED})),
    ]


def real_settings(name: str, fixtures: Path) -> RuntimeSettings:
    """The service's own settings, with every optional task switched on."""
    from radar_alerter.settings import AlerterSettings
    from radar_earnings.settings import EarningsSettings
    from radar_news.settings import NewsSettings
    from radar_notifier.settings import NotifierSettings
    from radar_scorer.settings import ScorerSettings
    from radar_tagger.settings import TaggerSettings

    url = {"REDIS_URL": "redis://127.0.0.1:1/0"}  # setup does no I/O: never connected
    earnings: dict[str, Any] = {
        "document_files": sorted((fixtures / "earnings/press_releases").iterdir())[:1],
        "sec_ciks": ["1045810"],
        "sec_user_agent": "Radar tests@example.invalid",
    }
    classes: dict[str, Callable[..., RuntimeSettings]] = {
        "news": NewsSettings,
        "earnings": lambda **kw: EarningsSettings(**kw, **earnings),
        "tagger": TaggerSettings,
        "scorer": ScorerSettings,
        "alerter": AlerterSettings,
        "notifier": NotifierSettings,
    }
    return classes[name](**url)


@pytest.mark.parametrize("name", list(MANIFESTS))
async def test_each_real_service_registers_exactly_what_its_manifest_declares(
    name: str, fixtures: Path
) -> None:
    """Each service's own setup, run on the Runtime build_app makes for it: the consumers
    (stream, group, event types) and tasks it registers are the ones its manifest declares."""
    import importlib

    from radar_runtime import build_app

    settings = real_settings(name, fixtures)
    setup = importlib.import_module(f"radar_{name}.app").make_setup(settings)
    _, rt = build_app(name, settings, setup)
    await setup(rt)
    try:
        m = MANIFESTS[name]
        registered = {(c.label, c.group, c.event_types) for c in rt.consumers}
        declared = {(r.stream, m.group, frozenset(r.handlers)) for r in m.reads}
        assert registered == declared
        assert len(rt.consumers) == len(m.reads)
        tasks = [task for task, _ in rt.tasks]
        assert all(m.declares_task(task) for task in tasks), tasks
        for declared_task in m.tasks:  # each declared task (or family) runs
            assert any(
                dataclasses.replace(m, tasks=(declared_task,)).declares_task(t) for t in tasks
            )
    finally:
        for closer in reversed(rt.closers):
            await closer()
        await rt.redis.aclose()

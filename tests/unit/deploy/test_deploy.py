"""Deployment files: Prometheus config and rules, compose file, Kubernetes manifests, AsyncAPI."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from radar_schemas import Streams
from radar_schemas.asyncapi import CONSUMERS, asyncapi_document
from radar_schemas.topology import MANIFESTS

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def tool(*names: str) -> list[str]:
    """The first of ``names`` found on PATH. CI installs them (`make tools`) and must run
    these checks; elsewhere a missing tool skips the check, saying how to install it."""
    for name in names:
        found = shutil.which(name)
        if found:
            return [found]
    message = f"{' or '.join(names)} not on PATH (make tools installs it, as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=60, check=False, cwd=ROOT, env=env
    )


def test_prometheus_config_and_rules_pass_promtool() -> None:
    promtool = tool("promtool")
    config = run([*promtool, "check", "config", str(DEPLOY / "prometheus/prometheus.yml")])
    assert config.returncode == 0, config.stdout + config.stderr
    # kubernetes.yml is not checked here: Debian's promtool is built without Kubernetes
    # service discovery; its relabelling is checked against the manifests below.
    rules = run([*promtool, "check", "rules", str(DEPLOY / "prometheus/rules.yml")])
    assert rules.returncode == 0, rules.stdout + rules.stderr
    document = yaml.safe_load((DEPLOY / "prometheus/rules.yml").read_text())
    count = sum(len(group["rules"]) for group in document["groups"])
    assert f"{count} rules found" in rules.stdout


def test_alert_rules_fire_when_they_should_and_only_then() -> None:
    """tests/fixtures/deploy/rules_test.yml: every alert fires when it should and stays quiet
    otherwise (test_alert_rules.py checks that each has both cases): a service down, lag
    growing, entries pending while nothing is acknowledged, dead letters (from the consume
    loop and from the notifier, counted before their series' first scrape too), webhook
    failure ratio, a feed that never succeeded and one whose last success is old."""
    promtool = tool("promtool")
    result = run([*promtool, "test", "rules", str(ROOT / "tests/fixtures/deploy/rules_test.yml")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def compose_config(env_file: Path) -> subprocess.CompletedProcess[str]:
    """``docker-compose config`` with only ``env_file`` for settings (never a developer's .env)."""
    compose = tool("docker-compose")
    file = str(ROOT / "docker-compose.yml")
    # The shell's variables win over the env file's: none of the ones compose reads is passed.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADAR_", "REDIS_"))}
    return run([*compose, "-f", file, "--env-file", str(env_file), "config"], env)


def test_compose_file_validates_and_takes_settings_and_secrets_from_the_user(
    tmp_path: Path,
) -> None:
    example = (ROOT / "deploy/compose/env.example").read_text()
    refused = compose_config(ROOT / "deploy/compose/env.example")  # not filled in yet
    assert refused.returncode != 0 and "set REDIS_PASSWORD in .env" in refused.stderr
    env_file = tmp_path / "radar.env"
    env_file.write_text(
        example.replace("REDIS_PASSWORD=\n", "REDIS_PASSWORD=pw-from-the-user\n").replace(
            "GRAFANA_ADMIN_PASSWORD=\n", "GRAFANA_ADMIN_PASSWORD=admin-from-the-user\n"
        )
        + "RADAR_WEBHOOK_SECRET=whsec_from-the-user\nRADAR_IMAGE=registry.example/radar:7\n"
    )
    result = compose_config(env_file)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("news", "earnings", "tagger", "scorer", "alerter", "notifier"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        assert "healthcheck" in services[name] and services[name]["restart"]
        assert services[name]["environment"]["REDIS_URL"] == (
            "redis://:pw-from-the-user@redis:6379/0"
        )
        assert services[name]["image"] == "registry.example/radar:7"
    assert "--appendonly" in services["redis"]["command"]
    assert services["redis"]["command"][-2:] == ["--requirepass", "pw-from-the-user"]
    (feeds,) = services["news"]["volumes"]
    source = feeds["source"] if isinstance(feeds, dict) else feeds.split(":")[0]
    assert source == str(ROOT / "deploy/compose/feeds.example.yaml")
    assert services["news"]["environment"]["RADAR_FEEDS_FILE"] == "/etc/radar/feeds.yaml"
    notifier = services["notifier"]["environment"]
    assert notifier["RADAR_WEBHOOK_SECRET"] == "whsec_from-the-user"
    assert notifier["RADAR_WEBHOOK_URLS"] is None  # not set: not passed on
    grafana = services["grafana"]["environment"]
    assert grafana["GF_SECURITY_ADMIN_PASSWORD"] == "admin-from-the-user"
    # The image's default calendar is the demo's sample: a deployment reads none unless told.
    assert services["earnings"]["environment"]["RADAR_CALENDAR_FILES"] == "[]"


def manifests() -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((DEPLOY / "k8s/radar.yaml").read_text()) if d]


def test_every_deployment_has_probes_and_a_stable_consumer_name() -> None:
    deployments = [d for d in manifests() if d["kind"] == "Deployment"]
    assert len(deployments) == 6
    for deployment in deployments:
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        env = {e["name"]: e for e in container["env"]}
        assert env["RADAR_CONSUMER_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"


def test_kubernetes_scrapes_label_every_pod_with_its_service_as_the_rules_expect() -> None:
    """The rules and panels group by `service`: the pod relabelling must give each
    Deployment's pods the service name the manifests and compose use, on the declared port."""
    config = yaml.safe_load((DEPLOY / "prometheus/kubernetes.yml").read_text())
    relabel = {
        r["target_label"]: r
        for r in config["scrape_configs"][0]["relabel_configs"]
        if "target_label" in r
    }
    service_rule = relabel["service"]
    for deployment in (d for d in manifests() if d["kind"] == "Deployment"):
        template = deployment["spec"]["template"]["metadata"]
        name = template["labels"]["app.kubernetes.io/name"]
        match = re.fullmatch(service_rule["regex"], name)
        assert match, name
        service = match.expand(service_rule["replacement"].replace("$1", r"\1"))
        assert service in MANIFESTS, service
        assert template["annotations"]["prometheus.io/scrape"] == "true"
        assert int(template["annotations"]["prometheus.io/port"]) == MANIFESTS[service].port


def test_each_consumer_scales_on_the_streams_it_reads_as_its_group() -> None:
    streams = Streams()
    scaled = {
        d["spec"]["scaleTargetRef"]["name"]: d for d in manifests() if d["kind"] == "ScaledObject"
    }
    expected: dict[str, set[tuple[str, str]]] = {}
    for stream, services in CONSUMERS.items():
        for service in services:
            expected.setdefault(f"radar-{service}", set()).add((streams.key(stream), service))
    assert set(scaled) == set(expected)
    for target, pairs in expected.items():
        triggers = scaled[target]["spec"]["triggers"]
        assert all(t["type"] == "redis-streams" for t in triggers)
        # KEDA reads one figure per trigger (lagCount wins over pendingEntriesCount), so
        # each (stream, group) has a lag trigger and a separate pending trigger.
        by_kind: dict[str, set[tuple[str, str]]] = {"lagCount": set(), "pendingEntriesCount": set()}
        for trigger in triggers:
            meta = trigger["metadata"]
            (kind,) = {"lagCount", "pendingEntriesCount", "streamLength"} & set(meta)
            by_kind[kind].add((meta["stream"], meta["consumerGroup"]))
            assert int(meta[kind]) > 0
        assert by_kind == {"lagCount": pairs, "pendingEntriesCount": pairs}, target
        assert len(triggers) == 2 * len(pairs)


def test_committed_asyncapi_document_is_current_and_its_refs_resolve() -> None:
    committed = json.loads((ROOT / "docs/asyncapi.json").read_text())
    assert committed == json.loads(json.dumps(asyncapi_document())), (
        "docs/asyncapi.json is stale: run radar schema asyncapi docs/asyncapi.json"
    )

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return found + [r for v in node.values() for r in refs(v)]
        return [r for v in node for r in refs(v)] if isinstance(node, list) else []

    for ref in refs(committed):
        node: Any = committed
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert node, ref


def test_build_context_holds_what_the_image_copies_and_no_local_state() -> None:
    """`.dockerignore` excludes everything but what the Dockerfile copies: `.env`, `.radar`
    (with its Redis password), `.venv` and `.tools` never reach the Docker daemon."""
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    included = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    copied = {
        source.rstrip("/").removeprefix("./")
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
        for source in line.split()[1:-1]
        if not source.startswith("--")
    }
    assert copied == included
    assert not included & {".env", ".radar", ".venv", ".tools", "tests", "bench"}


def test_kubernetes_earnings_reads_no_sample_calendar_and_takes_the_sec_watchlist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The earnings service's default calendar is the demo's sample (for `make run`); the
    manifest sets none, so a real deployment never publishes the sample's report."""
    from radar_earnings.settings import EarningsSettings

    (earnings,) = [
        c
        for d in manifests()
        if d["kind"] == "Deployment"
        for c in d["spec"]["template"]["spec"]["containers"]
        if c["name"] == "earnings"
    ]
    env = {e["name"]: e.get("value") for e in earnings["env"]}
    monkeypatch.setenv("RADAR_CALENDAR_FILES", env["RADAR_CALENDAR_FILES"])
    assert EarningsSettings().calendar_files == []
    monkeypatch.delenv("RADAR_CALENDAR_FILES")
    assert EarningsSettings().calendar_files  # the default the manifest overrides
    assert {"configMapRef": {"name": "radar-earnings", "optional": True}} in earnings["envFrom"]

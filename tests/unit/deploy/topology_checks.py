"""Checks of the deployment files against the services' manifests (radar_schemas.topology).

Each function takes the manifests and one parsed file, and returns what disagrees, one line
per problem (empty when they agree), so that a test can show a check failing on a copy it
broke on purpose."""

from collections.abc import Mapping, Sequence
from typing import Any

from radar_schemas import Streams
from radar_schemas.topology import STREAMS, ServiceManifest

Manifests = Mapping[str, ServiceManifest]


def topology_problems(manifests: Manifests) -> list[str]:
    """The manifests among themselves: unique ports, and nothing read that nobody writes."""
    problems = []
    ports = [m.port for m in manifests.values()]
    if len(set(ports)) != len(ports):
        problems.append(f"topology: ports {sorted(ports)} are not unique")
    for m in manifests.values():
        for read in m.reads:
            written = {t for w in manifests.values() for t in w.writes.get(read.stream, ())}
            for event_type in sorted(set(read.handlers) - written):
                problems.append(
                    f"topology: {m.name} reads {event_type} from {read.stream},"
                    " which no service writes there"
                )
        for stream in [*(r.stream for r in m.reads), *m.writes]:
            if stream not in STREAMS:
                problems.append(f"topology: {m.name} names an unknown stream {stream}")
    return problems


def compose_problems(manifests: Manifests, compose: Mapping[str, Any]) -> list[str]:
    """Each manifest has a compose service of its name running its command on its port,
    and no other compose service runs a Radar command."""
    services: Mapping[str, Any] = compose.get("services") or {}
    radar = {
        n for n, s in services.items() if str((s.get("command") or [""])[0]).startswith("radar")
    }
    problems = [f"compose: no service {name}" for name in sorted(set(manifests) - set(services))]
    problems += [
        f"compose: {n} runs Radar but no manifest declares it"
        for n in sorted(radar - set(manifests))
    ]
    for name, m in manifests.items():
        service = services.get(name)
        if service is None:
            continue
        env = service.get("environment") or {}
        found = {
            "command": service.get("command"),
            "RADAR_HTTP_PORT": str(env.get("RADAR_HTTP_PORT")),
            "ports": service.get("ports"),
        }
        wanted = {
            "command": [m.command],
            "RADAR_HTTP_PORT": str(m.port),
            "ports": [f"127.0.0.1:{m.port}:{m.port}"],  # this machine only
        }
        problems += [
            f"compose: {name} has {key} {found[key]!r}, its manifest says {wanted[key]!r}"
            for key in wanted
            if found[key] != wanted[key]
        ]
    return problems


def prometheus_problems(manifests: Manifests, config: Mapping[str, Any]) -> list[str]:
    """The radar scrape job has one target per service, ``<name>:<port>``, labelled with the
    service, and no other."""
    jobs = {job["job_name"]: job for job in config.get("scrape_configs") or []}
    if "radar" not in jobs:
        return ["prometheus: no scrape job radar"]
    found: dict[str, list[str]] = {}
    for group in jobs["radar"].get("static_configs") or []:
        service = (group.get("labels") or {}).get("service", "?")
        found.setdefault(service, []).extend(group.get("targets") or [])
    wanted = {name: [f"{name}:{m.port}"] for name, m in manifests.items()}
    return [
        f"prometheus: {name} scraped at {found.get(name)}, its manifest says {wanted.get(name)}"
        for name in sorted(set(found) | set(wanted))
        if found.get(name) != wanted.get(name)
    ]


def kubernetes_problems(
    manifests: Manifests, documents: Sequence[Mapping[str, Any]], streams: Streams
) -> list[str]:
    """A Deployment per manifest (command, port, the port Prometheus scrapes), and a KEDA
    ScaledObject exactly for the services that read streams, on each stream as its group."""
    by_kind: dict[str, dict[str, Mapping[str, Any]]] = {}
    for doc in documents:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    deployments, scaled = by_kind.get("Deployment", {}), by_kind.get("ScaledObject", {})
    wanted = {f"radar-{name}" for name in manifests}
    problems = [f"kubernetes: no Deployment {n}" for n in sorted(wanted - set(deployments))]
    problems += [
        f"kubernetes: Deployment {n} has no manifest" for n in sorted(set(deployments) - wanted)
    ]
    for name, m in manifests.items():
        deployment = deployments.get(f"radar-{name}")
        if deployment is not None:
            problems += _deployment_problems(m, deployment)
        problems += _scaling_problems(m, scaled.get(f"radar-{name}"), streams)
    problems += [
        f"kubernetes: ScaledObject {n} has no manifest" for n in sorted(set(scaled) - wanted)
    ]
    return problems


def _deployment_problems(m: ServiceManifest, deployment: Mapping[str, Any]) -> list[str]:
    template = deployment["spec"]["template"]
    (container,) = template["spec"]["containers"]
    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    found = {
        "command": container.get("command"),
        "containerPort": [p.get("containerPort") for p in container.get("ports") or []],
        "RADAR_HTTP_PORT": env.get("RADAR_HTTP_PORT"),
        "prometheus.io/port": (template["metadata"].get("annotations") or {}).get(
            "prometheus.io/port"
        ),
    }
    wanted = {
        "command": [m.command],
        "containerPort": [m.port],
        "RADAR_HTTP_PORT": str(m.port),
        "prometheus.io/port": str(m.port),
    }
    return [
        f"kubernetes: radar-{m.name} has {key} {found[key]!r}, its manifest says {wanted[key]!r}"
        for key in wanted
        if found[key] != wanted[key]
    ]


def _scaling_problems(
    m: ServiceManifest, scaled: Mapping[str, Any] | None, streams: Streams
) -> list[str]:
    """Producers poll sources and run one replica; each consumer scales on the lag and the
    pending entries of its group on every stream it reads, and on nothing else."""
    wanted = {(streams.key(read.stream), m.group) for read in m.reads}
    if scaled is None:
        return (
            [f"kubernetes: radar-{m.name} reads {sorted(wanted)} but has no ScaledObject"]
            if wanted
            else []
        )
    found: dict[str, set[tuple[Any, Any]]] = {"lagCount": set(), "pendingEntriesCount": set()}
    for trigger in scaled["spec"].get("triggers") or []:
        meta = trigger.get("metadata") or {}
        for kind, pairs in found.items():
            if kind in meta:
                pairs.add((meta.get("stream"), meta.get("consumerGroup")))
    return [
        f"kubernetes: radar-{m.name} scales on {kind} of {sorted(pairs)},"
        f" its manifest reads {sorted(wanted)}"
        for kind, pairs in found.items()
        if pairs != wanted
    ]


def asyncapi_problems(manifests: Manifests, document: Mapping[str, Any]) -> list[str]:
    """The AsyncAPI document has a channel per stream with the event types written there, a
    send operation per stream a service writes and a receive operation per stream it reads,
    each with the event types its manifest declares there, and no other operation."""
    channels, operations = document.get("channels") or {}, document.get("operations") or {}
    problems = [f"asyncapi: no channel {s}" for s in STREAMS if s not in channels]
    wanted: dict[str, set[str]] = {}
    for name, m in manifests.items():
        for stream, types in m.writes.items():
            wanted[f"{name}_sends_{stream}"] = {t.value for t in types}
        for read in m.reads:
            wanted[f"{name}_receives_{read.stream}"] = {t.value for t in read.handlers}
    found = {op: _message_types(document, spec) for op, spec in operations.items()}
    problems += [
        f"asyncapi: operation {op} carries {sorted(found.get(op) or [])},"
        f" the manifests say {sorted(wanted.get(op) or [])}"
        for op in sorted(set(found) | set(wanted))
        if found.get(op) != wanted.get(op)
    ]
    return problems


def _message_types(document: Mapping[str, Any], operation: Mapping[str, Any]) -> set[str]:
    """The event types (message names) an operation's message references resolve to."""
    types = set()
    for ref in operation.get("messages") or []:
        node: Any = document
        for part in ref["$ref"].removeprefix("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        target = node.get("$ref", "") if isinstance(node, dict) else ""
        message = document.get("components", {}).get("messages", {}).get(target.split("/")[-1])
        types.add(message["name"] if message else f"unresolved {ref['$ref']}")
    return types

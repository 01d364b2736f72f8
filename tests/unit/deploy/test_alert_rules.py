"""The promtool tests cover every alert rule: a case where it fires, with its labels and
annotations, and a case where it stays quiet; a rule that can never fire fails them."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.promql import legend_labels, references, template_labels

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "deploy/prometheus/rules.yml"
RULE_TESTS = ROOT / "tests/fixtures/deploy/rules_test.yml"
DASHBOARD = ROOT / "deploy/grafana/dashboards/radar.json"


def rules() -> list[dict[str, Any]]:
    return [r for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]


def alerts() -> dict[str, dict[str, Any]]:
    return {rule["alert"]: rule for rule in rules() if "alert" in rule}


def alert_cases() -> list[dict[str, Any]]:
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    return [case for test in tests for case in test.get("alert_rule_test", [])]


def promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    message = "promtool not on PATH (make tools installs it, as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_every_alert_rule_has_a_firing_and_a_quiet_case() -> None:
    cases = alert_cases()
    for name in alerts():
        mine = [case for case in cases if case["alertname"] == name]
        assert any(case["exp_alerts"] for case in mine), f"{name} never fires in rules_test.yml"
        assert any(not case["exp_alerts"] for case in mine), f"{name} is never shown quiet"
    assert {case["alertname"] for case in cases} <= set(alerts()), "a test of no rule"


def test_firing_cases_expect_the_rules_labels_and_every_annotation() -> None:
    for case in alert_cases():
        rule = alerts()[case["alertname"]]
        for expected in case["exp_alerts"]:
            assert rule["labels"].items() <= expected["exp_labels"].items(), case["alertname"]
            assert set(expected["exp_annotations"]) == set(rule["annotations"]), case["alertname"]


def test_every_recording_rule_is_used_by_a_rule_or_a_panel() -> None:
    used = {s.metric for rule in rules() for s in references(rule["expr"]).selectors}
    panels = json.loads(DASHBOARD.read_text())["panels"]
    exprs = [target["expr"] for panel in panels for target in panel["targets"]]
    used |= {s.metric for expr in exprs for s in references(expr).selectors}
    for rule in rules():
        if "record" in rule:
            assert rule["record"] in used, f"{rule['record']} is recorded and never read"


def test_a_rule_that_cannot_fire_fails_the_promtool_tests(tmp_path: Path) -> None:
    """Each alert in turn made unable to fire (the fate of a join that matches nothing):
    the promtool tests must notice, or they prove nothing about that alert."""
    binary = promtool()
    tests = yaml.safe_load(RULE_TESTS.read_text())
    (tmp_path / "rules_test.yml").write_text(
        yaml.safe_dump({**tests, "rule_files": [str(tmp_path / "rules.yml")]})
    )
    for name in alerts():
        document = yaml.safe_load(RULES.read_text())
        for group in document["groups"]:
            for rule in group["rules"]:
                if rule.get("alert") == name:
                    rule["expr"] = "vector(1) < 0"
        (tmp_path / "rules.yml").write_text(yaml.safe_dump(document))
        result = subprocess.run(
            [binary, "test", "rules", str(tmp_path / "rules_test.yml")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0, f"{name} unable to fire still passes the tests"
        assert f"alertname: {name}," in result.stdout + result.stderr


def test_references_finds_selectors_labels_and_skips_strings_and_functions() -> None:
    refs = references(
        'sum by (le, service) (rate(a_bucket{le!="1", b=~"[a-z]{2}"}[5m] offset 1h))'
        " / on (service) group_left (feed) b"
        ' or label_replace(c, "reason", "$1", "outcome", "(.+)") > 3 * 3600'
        ' unless {__name__="radar:d", e="f"} and time() - z < bool 1e3'
    )
    assert [(s.metric, sorted(s.labels)) for s in refs.selectors] == [
        ("a_bucket", ["b", "le"]),
        ("b", []),
        ("c", []),
        ("radar:d", ["e"]),
        ("z", []),
    ]
    assert refs.grouping_labels == {"le", "service", "feed"}
    assert legend_labels("lag {{stream}}/{{ group }}") == {"stream", "group"}
    assert template_labels("{{ $labels.feed }} is {{ $value }}") == {"feed"}

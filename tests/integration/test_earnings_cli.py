"""``radar earnings parse FILE`` as a real process: payloads as JSON lines, nothing published."""

import json
import subprocess
import sys
from pathlib import Path

from ..support.processes import ROOT


def parse(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "radar_cli.main", "earnings", "parse", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_companyfacts_file_prints_reports(fixtures: Path) -> None:
    result = parse(fixtures / "earnings/edgar/CIK0001652044_alphabet_companyfacts_subset.json")
    assert result.returncode == 0, result.stderr
    reports = {r["report_id"]: r for r in map(json.loads, result.stdout.splitlines())}
    q4 = reports["sec:0001652044:2024Q4"]
    assert q4["company"]["ticker"] == "GOOGL"  # from the reference data, by CIK
    assert (
        q4["metrics"]["revenue"] | {"actual": 96_469e6, "derived": True} == q4["metrics"]["revenue"]
    )


def test_press_release_prints_a_document_and_a_non_earnings_filing_nothing(fixtures: Path) -> None:
    adobe = parse(fixtures / "earnings/press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.htm")
    document, report = map(json.loads, adobe.stdout.splitlines())
    assert (document["kind"], document["tickers"]) == ("press_release", ["ADBE"])
    assert (report["fiscal_year"], report["fiscal_period"]) == (2023, "Q1")
    meta = parse(fixtures / "earnings/press_releases/meta_8-K_2025-12-19_item5.02_NON_EARNINGS.txt")
    assert (meta.returncode, meta.stdout) == (1, "")  # nothing came out of it
    assert "not an earnings text" in meta.stderr


def test_calendar_prints_reports_and_rejections(fixtures: Path) -> None:
    result = parse(fixtures / "earnings/calendar_fmp_2025-05-09.json")
    rows = json.loads((fixtures / "earnings/calendar_fmp_2025-05-09.json").read_text())
    lines = result.stdout.splitlines()
    assert len(lines) + len(result.stderr.splitlines()) == len(rows)
    assert all(json.loads(line)["source"] == "calendar_fmp_2025-05-09" for line in lines)


def test_csv_calendar_prints_the_same_reports_as_its_json(fixtures: Path) -> None:
    from_csv = parse(fixtures / "earnings/calendar_fmp_2025-05-09.csv")
    from_json = parse(fixtures / "earnings/calendar_fmp_2025-05-09.json")
    assert from_csv.returncode == 0, from_csv.stderr
    lines = from_csv.stdout.splitlines()
    assert len(lines) == 19 and lines == from_json.stdout.splitlines()
    assert json.loads(lines[0])["source"] == "calendar_fmp_2025-05-09"
    rejections = from_csv.stderr.splitlines()
    assert len(rejections) == 55 - 19 and all("not reported yet" in r for r in rejections)


def test_a_csv_without_a_reported_row_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "upcoming.csv"
    path.write_text("symbol,date,eps,epsEstimated\nACME,2025-05-14,,1.10\n")
    result = parse(path)
    assert (result.returncode, result.stdout) == (1, "")
    assert "not reported yet" in result.stderr

"""The company reference file."""

from pathlib import Path

import pytest

from radar_reference import ReferenceError, load_companies
from radar_schemas import Sector


def test_bundled_reference_covers_the_markets_and_private_companies() -> None:
    data = load_companies()
    assert len(data.companies) >= 80
    assert {"0700.HK", "7974.T", "259960.KS", "UBI.PA", "openai", "anthropic"} <= set(data.by_id)
    assert data.by_cik["0001652044"].id == "GOOGL"
    assert Sector.GAMING in data.by_id["TTWO"].sectors
    assert "Unity" in data.by_id["U"].ambiguous


def test_invalid_entries_are_named(tmp_path: Path) -> None:
    path = tmp_path / "companies.yaml"
    path.write_text("companies:\n  - {id: X, name: X, aliases: [X], sectors: [casinos]}\n")
    with pytest.raises(ReferenceError, match=r"companies\.0\.sectors\.0"):
        load_companies(path)
    path.write_text(
        "companies:\n  - {id: X, name: X, aliases: [X]}\n  - {id: X, name: Y, aliases: [Y]}\n"
    )
    with pytest.raises(ReferenceError, match="duplicate company ids"):
        load_companies(path)

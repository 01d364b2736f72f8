"""Earnings settings refuse a watchlist without a declared contact, and rates over 10/s."""

import pytest
from pydantic import ValidationError

from radar_earnings.settings import EarningsSettings


def test_watchlist_needs_a_user_agent_with_a_contact() -> None:
    with pytest.raises(ValidationError, match="RADAR_SEC_USER_AGENT"):
        EarningsSettings(sec_ciks=["1045810"], sec_user_agent="Radar")
    settings = EarningsSettings(sec_ciks=["1045810"], sec_user_agent="Radar ops@example.com")
    assert settings.sec_max_requests_per_s == 10.0


def test_no_more_than_ten_requests_a_second_and_real_ciks() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 10"):
        EarningsSettings(sec_max_requests_per_s=11)
    with pytest.raises(ValidationError, match="not a CIK"):
        EarningsSettings(sec_ciks=["NVDA"], sec_user_agent="Radar ops@example.com")


def test_watchlist_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_SEC_CIKS", '["0001652044", "1045810"]')
    monkeypatch.setenv("RADAR_SEC_USER_AGENT", "Radar ops@example.com")
    assert EarningsSettings().sec_ciks == ["0001652044", "1045810"]

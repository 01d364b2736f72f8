"""Alerter settings (``RADAR_`` environment variables)."""

from pydantic import Field, model_validator

from radar_runtime import RuntimeSettings


class AlerterSettings(RuntimeSettings):
    http_port: int = 9105
    score_fire_above: float = Field(default=1.0, description="A sector score at or above fires")
    score_resolve_below: float = Field(default=0.5, description="A firing alert resolves below")

    @model_validator(mode="after")
    def _hysteresis(self) -> "AlerterSettings":
        if self.score_resolve_below > self.score_fire_above:
            raise ValueError("score_resolve_below must not exceed score_fire_above")
        return self

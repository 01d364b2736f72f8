"""Tagger settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field

from radar_reference import DEFAULT_COMPANIES_FILE
from radar_runtime import RuntimeSettings
from radar_schemas.topology import MANIFESTS

from .domain.taxonomy import DEFAULT_TAXONOMY


class TaggerSettings(RuntimeSettings):
    http_port: int = MANIFESTS["tagger"].port
    taxonomy_file: Path = Field(default=DEFAULT_TAXONOMY, description="Editable taxonomy YAML")
    companies_file: Path = Field(
        default=DEFAULT_COMPANIES_FILE, description="Company reference data YAML"
    )
    listings: bool = Field(
        default=True,
        description="Also name every A-share listed company (radar_reference's listings "
        "directory), as entities only; false: the companies file alone",
    )
    model_file: Path | None = Field(
        default=None, description="Learned model (python -m radar_tagger.train); default: shipped"
    )
    rules_only: bool = Field(default=False, description="Tag with the taxonomy's rules alone")

"""Company reference data shared by the tagger and earnings ingest."""

from .companies import (
    DEFAULT_COMPANIES_FILE,
    CompanyRecord,
    ReferenceData,
    ReferenceError,
    load_companies,
)

__all__ = [
    "DEFAULT_COMPANIES_FILE",
    "CompanyRecord",
    "ReferenceData",
    "ReferenceError",
    "load_companies",
]

"""Company reference data shared by the tagger and earnings ingest."""

from .companies import DEFAULT_COMPANIES_FILE, CompanyRecord, ReferenceData, ReferenceError
from .listings import DEFAULT_LISTINGS_FILE, ListingsError
from .loading import load_companies

__all__ = [
    "DEFAULT_COMPANIES_FILE",
    "DEFAULT_LISTINGS_FILE",
    "CompanyRecord",
    "ListingsError",
    "ReferenceData",
    "ReferenceError",
    "load_companies",
]

"""Loading the company reference: the watched companies' file and the listings directory."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from radar_schemas.wire import describe

from .companies import DEFAULT_COMPANIES_FILE, ReferenceData, ReferenceError
from .listings import DEFAULT_LISTINGS_FILE, load_listings, merged

# libyaml's safe loader when PyYAML was built with it (ten times quicker), else the Python one
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_companies(
    path: Path = DEFAULT_COMPANIES_FILE, listings: Path | None = DEFAULT_LISTINGS_FILE
) -> ReferenceData:
    """The companies of `path` and, unless `listings` is None, every listed company of the
    listings directory that the file does not already describe."""
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 (a safe loader)
        reference = ReferenceData.model_validate(document)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        raise ReferenceError(f"{path}: {describe(exc)}") from exc
    if listings is None:
        return reference
    return ReferenceData(companies=merged(reference.companies, load_listings(listings)))

"""Building a tagger from its files: taxonomy, company reference data and learned model."""

from pathlib import Path

from radar_reference import DEFAULT_COMPANIES_FILE, DEFAULT_LISTINGS_FILE, load_companies

from .domain.model import load_model
from .domain.tagger import Tagger
from .domain.taxonomy import DEFAULT_TAXONOMY, load_taxonomy


def build_tagger(
    taxonomy_file: Path | None = None,
    companies_file: Path | None = None,
    model_file: Path | None = None,
    rules_only: bool = False,
    listings: bool = True,
) -> Tagger:
    """The tagger of these files (each defaulting to the shipped one); the rules alone when
    `rules_only`; the A-share listings directory beside the companies file unless not
    `listings`. Raises TaxonomyError, ReferenceError or ModelError naming a bad file."""
    return Tagger(
        load_taxonomy(taxonomy_file or DEFAULT_TAXONOMY),
        load_companies(
            companies_file or DEFAULT_COMPANIES_FILE, DEFAULT_LISTINGS_FILE if listings else None
        ),
        None if rules_only else load_model(model_file),
    )

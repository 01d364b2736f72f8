"""radar-scorer: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import ScorerSettings


def main() -> None:
    settings = ScorerSettings()
    run_service("scorer", settings, make_setup(settings))


if __name__ == "__main__":
    main()

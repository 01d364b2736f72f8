"""radar-tagger: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import TaggerSettings


def main() -> None:
    settings = TaggerSettings()
    run_service("tagger", settings, make_setup(settings))


if __name__ == "__main__":
    main()

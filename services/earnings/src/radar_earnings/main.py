"""radar-earnings: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import EarningsSettings


def main() -> None:
    settings = EarningsSettings()
    run_service("earnings", settings, make_setup(settings))


if __name__ == "__main__":
    main()

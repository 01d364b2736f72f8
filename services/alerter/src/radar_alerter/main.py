"""radar-alerter: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import AlerterSettings


def main() -> None:
    settings = AlerterSettings()
    run_service("alerter", settings, make_setup(settings))


if __name__ == "__main__":
    main()

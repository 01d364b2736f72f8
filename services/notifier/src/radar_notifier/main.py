"""radar-notifier: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import NotifierSettings


def main() -> None:
    settings = NotifierSettings()
    run_service("notifier", settings, make_setup(settings))


if __name__ == "__main__":
    main()

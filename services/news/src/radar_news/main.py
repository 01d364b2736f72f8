"""radar-news: entry point."""

from radar_runtime import run_service

from .app import make_setup
from .settings import NewsSettings


def main() -> None:
    settings = NewsSettings()
    run_service("news", settings, make_setup(settings))


if __name__ == "__main__":
    main()

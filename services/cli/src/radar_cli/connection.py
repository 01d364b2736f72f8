"""Which Redis a command uses, and the one place that turns not reaching it into one line.

The URL comes from ``REDIS_URL`` (or ``RADAR_REDIS_URL``); when neither is set, from the
file ``radar up`` records in its state directory (``$RADAR_STATE_DIR``, default ``.radar``);
else the default, ``redis://127.0.0.1:6379/0``. The client does not retry: a command fails
within seconds, naming the server (never its password) and where its URL came from."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import (
    AuthenticationError,
    InvalidResponse,
    RedisError,
    ResponseError,
)
from redis.exceptions import (
    TimeoutError as RedisTimeoutError,
)

from radar_runtime import RuntimeSettings
from radar_runtime.embedded_redis import write_private
from radar_runtime.settings import DEFAULT_REDIS_URL

from .errors import CommandError, RedisUnavailable

STATE_DIR_ENV = "RADAR_STATE_DIR"
DEFAULT_STATE_DIR = Path(".radar")
URL_FILE = "redis.url"
PASSWORD_FILE = "redis.password"  # noqa: S105 - a file name, not a password
URL_ENV = ("REDIS_URL", "RADAR_REDIS_URL")
# Connecting and the first answer; with the interpreter's start, a command fails within 3 s.
CONNECT_TIMEOUT_S = 1.0
# Any later reply (blocking reads ask for at most a second).
REPLY_TIMEOUT_S = 10.0

S = TypeVar("S", bound=RuntimeSettings)


@dataclass(frozen=True)
class RedisTarget:
    """A Redis URL (secret: it may hold a password) and where it came from, for messages."""

    url: str
    origin: str
    hint: str = ""  # said only when the URL does not answer

    @property
    def shown(self) -> str:
        return shown_url(self.url)

    @property
    def described(self) -> str:
        """The URL as shown, and where it came from: "redis://host:6379/0 (URL from ...)"."""
        return f"{self.shown} ({self.origin})"


def shown_url(url: str) -> str:
    """The URL without password or query (a query may carry one): scheme, user, host, path."""
    try:
        parts = urlsplit(url)
        user = parts.username
    except ValueError:
        return "(an unreadable URL)"
    if "://" not in url:  # "notaurl", "localhost:6379": as typed, after any "…@"
        return url.rpartition("@")[2].split("?")[0] or "(an empty URL)"
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{user + '@' if user else ''}{host}{parts.path}"


def state_dir() -> Path:
    """Where ``radar up`` keeps its state: ``$RADAR_STATE_DIR``, else ``.radar``."""
    return Path(os.environ.get(STATE_DIR_ENV) or DEFAULT_STATE_DIR)


def record_url(directory: Path, url: str) -> Path:
    """Record the pipeline's Redis URL for other commands (mode 0600: it holds a password)."""
    path = directory / URL_FILE
    partial = directory / f".{URL_FILE}.partial"
    write_private(partial, url + "\n")
    partial.replace(path)  # readers see the old URL or the new one, never half of one
    return path


def recorded_url(directory: Path) -> str | None:
    try:
        text = (directory / URL_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def target() -> RedisTarget:
    """The Redis this command uses: REDIS_URL, else what ``radar up`` recorded, else the
    default."""
    for name in URL_ENV:
        value = os.environ.get(name)
        if value:
            return RedisTarget(value, f"URL from {name}")
    path = state_dir() / URL_FILE
    recorded = recorded_url(state_dir())
    if recorded:
        return RedisTarget(
            recorded, f"URL recorded by radar up in {path}", hint="is radar up running?"
        )
    return RedisTarget(
        DEFAULT_REDIS_URL,
        f"the default URL: REDIS_URL is unset and radar up has recorded none in {path}",
    )


def settings(cls: type[S], redis: RedisTarget | None = None) -> S:
    """The settings of ``cls`` from the environment, with this command's Redis URL."""
    return cls(REDIS_URL=(redis or target()).url)


def describe(exc: BaseException, redis: RedisTarget) -> str:
    """One line saying what went wrong with ``redis``; never its password."""
    where = redis.shown
    why_here = f"{redis.origin}: {redis.hint}" if redis.hint else redis.origin
    if isinstance(exc, AuthenticationError) or _says(exc, "NOAUTH", "WRONGPASS"):
        try:
            has_password = bool(urlsplit(redis.url).password)
        except ValueError:
            has_password = False
        why = "wrong user or password" if has_password else "it wants a password, none given"
        return f"authentication refused by Redis at {where}: {why} ({why_here})"
    if isinstance(exc, TimeoutError | RedisTimeoutError):
        return f"Redis unreachable at {where}: no answer in time ({why_here})"
    if isinstance(exc, InvalidResponse):
        return f"Redis unreachable at {where}: what answers there is not Redis ({why_here})"
    if isinstance(exc, ResponseError):
        return f"Redis at {where} refused a command: {_one_line(exc)} ({why_here})"
    return f"Redis unreachable at {where}: {_reason(exc)} ({why_here})"


def _says(exc: BaseException, *codes: str) -> bool:
    return any(str(exc).startswith(code) for code in codes)


def _reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:  # redis-py wraps the OSError that says what happened
        if isinstance(cause, OSError) and cause.errno is not None:
            # asyncio's strerror is "Connect call failed (host, port)": say what failed.
            text = os.strerror(cause.errno) if cause.errno > 0 else cause.strerror
            return (text or str(cause)).lower()
        cause = cause.__cause__ or cause.__context__
    text = _one_line(exc)
    if "Connect call failed" in text or "Error 111" in text:
        return "connection refused"
    return text


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def client(redis: RedisTarget) -> Redis:
    """A client that fails fast: no retries, short connect timeout."""
    try:
        return Redis.from_url(
            redis.url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=REPLY_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
    except ValueError:
        raise CommandError(
            f"not a Redis URL (redis://, rediss:// or unix://): {redis.shown} ({redis.origin})"
        ) from None


@contextlib.asynccontextmanager
async def connected(redis: RedisTarget | None = None) -> AsyncIterator[Redis]:
    """A client that has answered PING; any Redis failure in the block becomes one line."""
    redis = redis or target()
    connection = client(redis)
    try:
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S):
                await connection.ping()
        except (RedisError, OSError, TimeoutError) as exc:
            raise RedisUnavailable(describe(exc, redis)) from None
        try:
            yield connection
        except RedisError as exc:
            raise RedisUnavailable(describe(exc, redis)) from None
    finally:
        with contextlib.suppress(Exception):
            await connection.aclose()


async def check(redis: RedisTarget) -> None:
    """Raise RedisUnavailable (one line) unless ``redis`` answers with this password."""
    async with connected(redis):
        pass


def run(action: Callable[[Redis], Awaitable[int]], redis: RedisTarget | None = None) -> int:
    """``action(client)`` on a fresh event loop; Redis failures become one line."""

    async def main() -> int:
        async with connected(redis) as connection:
            return await action(connection)

    return asyncio.run(main())

"""An httpx client whose every TCP connection passes the SSRF guard.

The guard sits in the network backend, below HTTP: the host name is resolved (through a
resolver that tests can replace), every address is checked, and the connection is made to
the checked address itself. The request keeps its URL, so the Host header and TLS SNI still
carry the name; proxies from the environment are ignored (they would connect elsewhere)."""

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from ..domain.guard import TargetRefused, choose_address, is_ip_literal

Resolver = Callable[[str], Awaitable[list[str]]]


async def system_resolver(host: str) -> list[str]:
    """The host's addresses from the system resolver, in its order, without duplicates."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, then connects to the checked address."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refuse (TargetRefused) before connecting unless every address is allowed."""
        addresses = [host] if is_ip_literal(host) else await self._resolve(host, timeout)
        address = choose_address(host, addresses, allow_private=self.allow_private)
        return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)

    async def _resolve(self, host: str, timeout_s: float | None) -> list[str]:
        """The host's addresses; failures become httpcore's, as for any connection error."""
        try:
            async with asyncio.timeout(timeout_s):
                return await self.resolver(host)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}") from exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("unix sockets are not webhook targets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the guarded backend under its connection pool."""

    def __init__(self, backend: GuardedBackend, max_connections: int = 100) -> None:
        super().__init__(trust_env=False)
        # httpx does not expose httpcore's network_backend; the pool is replaced with one
        # built the same way, plus the backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


def guarded_client(
    *, allow_private: bool, timeout_s: float, resolver: Resolver = system_resolver
) -> httpx.AsyncClient:
    """The client every webhook request goes through: guarded, no redirects, no proxies."""
    backend = GuardedBackend(allow_private=allow_private, resolver=resolver)
    return httpx.AsyncClient(
        transport=GuardedTransport(backend),
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        trust_env=False,
    )

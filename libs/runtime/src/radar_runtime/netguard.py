"""The one SSRF guard every outbound fetch goes through (webhooks, feeds, SEC).

- URLs are normalised and validated before they are stored (:func:`normalise_url`): scheme
  http or https, a host, IPv4 in every form a resolver accepts (``127.000.000.001``,
  ``0177.1``, ``2130706433``, ``0x7f.1``) parsed as the WHATWG URL standard does and written
  out dotted, names IDNA-encoded, the default port dropped, the fragment dropped.
- A :class:`TargetPolicy` judges addresses: only globally routable unicast addresses pass,
  unless private targets are allowed outright or the address lies in an allowed network.
  IPv4-mapped IPv6 is judged as the IPv4 address it carries; 6to4 and Teredo addresses as
  the IPv4 addresses they embed; site-local ``fec0::/10`` never passes.
- The check runs inside the HTTP client's network backend (:class:`GuardedBackend`), below
  HTTP: a name is resolved once, every address is judged, and the connection is made to the
  judged address, while the Host header and TLS SNI keep the name; a name that resolves
  differently a second time (DNS rebinding) cannot slip past it. Every connection passes it,
  so every redirect hop does too; :class:`GuardedTransport` also judges each request's URL
  before the connection pool sees it. Clients never honour proxy variables (a proxy would
  connect elsewhere) (:func:`guarded_client`).

What is allowed comes from :class:`TargetSettings` (``RADAR_ALLOW_PRIVATE_TARGETS``,
``RADAR_ALLOWED_TARGET_NETWORKS``); local feed files are not network targets and stay
readable whatever the policy."""

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
import idna
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Awaitable[list[str]]]

SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$")
_HEX = re.compile(r"^[0-9a-fA-F]*$")
_OCTAL = re.compile(r"^[0-7]*$")
_DECIMAL = re.compile(r"^[0-9]+$")


class TargetRefused(ValueError):
    """The target's address is not public, and not allowed by the policy."""


class InvalidTarget(ValueError):
    """A URL that cannot be used as an outbound target (scheme, host, port, address form)."""


# -- URLs -------------------------------------------------------------------------------


def _ipv4_number(part: str) -> int | None:
    """One part of an IPv4 host in the WHATWG URL standard's forms (decimal, 0x-hex,
    0-octal; ``0x`` alone is 0); None when it is not a number."""
    if not part or not part.isascii():
        return None
    if part[:2].lower() == "0x":
        digits, base, valid = part[2:], 16, _HEX
    elif len(part) > 1 and part[0] == "0":
        digits, base, valid = part[1:], 8, _OCTAL
    else:
        digits, base, valid = part, 10, _DECIMAL
    if not valid.match(digits):
        return None
    return int(digits, base) if digits else 0


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``host`` names, in any form a resolver (inet_aton) or a browser
    accepts: one to four parts, each decimal, octal (leading 0) or hex (0x); None when the
    host is a name. A host that ends in a number but is no valid address (``1.2.3.09``,
    ``256.0.0.1``) raises InvalidTarget: it is neither an address nor a name."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    last = parts[-1]
    if not (_DECIMAL.match(last) or _ipv4_number(last) is not None):
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        raise InvalidTarget(f"invalid IPv4 address {host!r}")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise InvalidTarget(f"invalid IPv4 address {host!r}: a part is out of range")
    address = values[-1]
    for index, value in enumerate(values[:-1]):
        address += value * 256 ** (3 - index)
    return ipaddress.IPv4Address(address)


def _ipv6(host: str) -> ipaddress.IPv6Address:
    if "%" in host:
        raise InvalidTarget(f"IPv6 zone ids are not supported in URLs: [{host}]")
    try:
        return ipaddress.IPv6Address(host)
    except ValueError as exc:
        raise InvalidTarget(f"invalid IPv6 address [{host}]") from exc


def _name(host: str) -> str:
    """A host name, IDNA-encoded (UTS 46) and checked label by label."""
    try:
        name = (host if host.isascii() else idna.encode(host, uts46=True).decode()).lower()
        labels = name.removesuffix(".").split(".")
        for label in labels:
            if label.startswith("xn--"):
                idna.decode(label)
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise InvalidTarget(f"invalid host name {host!r}") from exc
    if len(name) > 253 or not all(len(label) <= 63 and _LABEL.match(label) for label in labels):
        raise InvalidTarget(f"invalid host name {host!r}")
    return name


def normalise_host(host: str) -> tuple[str, IPAddress | None]:
    """The host as a URL carries it (IPv6 in brackets) and the address it names, if any."""
    if host.startswith("[") and host.endswith("]"):
        address6 = _ipv6(host[1:-1])
        return f"[{address6.compressed}]", address6
    if not host:
        raise InvalidTarget("the URL has no host")
    if not host.isascii():  # full-width digits and dots map to ASCII ones first
        try:
            host = idna.uts46_remap(host, std3_rules=False, transitional=False)
        except (idna.IDNAError, UnicodeError) as exc:
            raise InvalidTarget(f"invalid host name {host!r}") from exc
    address4 = parse_ipv4(host)
    if address4 is not None:
        return str(address4), address4
    return _name(host), None


def _split(url: str) -> tuple[str, str, str, int | None, str, str]:
    """scheme, userinfo, host (as written, IPv6 with brackets), port, path, query."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        detail = str(exc)
        if "port" in detail.lower():
            raise InvalidTarget(f"invalid port in URL: {detail}") from exc
        raise InvalidTarget(f"invalid URL: {detail}") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise InvalidTarget("the URL must be http:// or https://")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if hostport.startswith("["):
        host = hostport[: hostport.find("]") + 1]
    else:
        host = hostport.rpartition(":")[0] if ":" in hostport else hostport
    if not host:
        raise InvalidTarget("the URL has no host")
    if port == 0:
        raise InvalidTarget("invalid port in URL: 0")
    return scheme, userinfo, host, port, parts.path, parts.query


def normalise_url(url: str) -> str:
    """The URL as it is stored and requested: scheme and host lower-cased, IPv4 dotted,
    IPv6 compressed, names IDNA-encoded, no default port, no fragment, ``/`` for an empty
    path. InvalidTarget (with the reason) for anything a client could not request."""
    scheme, userinfo, host, port, path, query = _split(url)
    written, _ = normalise_host(host)
    netloc = f"{userinfo}@" if userinfo else ""
    netloc += written
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    normalised = f"{scheme}://{netloc}{path or '/'}" + (f"?{query}" if query else "")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in normalised):
        raise InvalidTarget("the URL contains spaces or control characters")
    try:
        httpx.URL(normalised)
    except httpx.InvalidURL as exc:
        raise InvalidTarget(f"invalid URL: {exc}") from exc
    return normalised


def url_address(url: str) -> IPAddress | None:
    """The address a (normalised or not) URL's host names literally; None for a name."""
    return normalise_host(_split(url)[2])[1]


# -- Addresses ----------------------------------------------------------------------------


def is_ip_literal(host: str) -> bool:
    """True for ``10.0.0.1``, ``::1`` and the like (no resolution needed)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_address(host: str) -> IPAddress | None:
    """The address a host as httpx hands it over names (``::1`` without brackets,
    ``2130706433``, ``0x7f.1``); None for a name. InvalidTarget for a number that is no
    address."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return parse_ipv4(host)


def _is_public_ip(ip: IPAddress) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def is_public(address: str | IPAddress) -> bool:
    """True for a globally routable unicast address. IPv4-mapped IPv6 is judged as IPv4;
    6to4 (2002::/16) and Teredo (2001::/32) addresses also need every IPv4 address they embed
    to be public; site-local fec0::/10 (deprecated, but ``is_global`` on Python 3.11) is not."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv4Address):
        return _is_public_ip(ip)
    if ip.ipv4_mapped is not None:
        return _is_public_ip(ip.ipv4_mapped)
    embedded = [ip.sixtofour] if ip.sixtofour is not None else list(ip.teredo or ())
    return (
        _is_public_ip(ip)
        and not ip.is_site_local
        and all(_is_public_ip(inner) for inner in embedded)
    )


@dataclass(frozen=True)
class TargetPolicy:
    """Which addresses outbound requests may go to: public ones always; every other one when
    ``allow_private`` (local development, tests); those in ``allowed_networks`` (an internal
    feed server, a test's loopback) otherwise."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    def permits(self, address: str | IPAddress) -> bool:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        if self.allow_private or is_public(ip):
            return True
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        return any((mapped or ip) in network for network in self.allowed_networks)

    def check(self, host: str, addresses: list[str]) -> None:
        """TargetRefused unless ``host`` resolved to addresses and every one is permitted (a
        name with one private address among public ones is refused as a whole)."""
        if not addresses:
            raise TargetRefused(f"{host} resolves to no address")
        refused = [a for a in addresses if not self.permits(a)]
        if refused:
            raise TargetRefused(f"{host} resolves to non-public address(es) {refused}")

    def choose(self, host: str, addresses: list[str]) -> str:
        """The address to connect to: the first one, once every address passed."""
        self.check(host, addresses)
        return addresses[0]

    def check_url(self, url: str) -> None:
        """TargetRefused when the URL's host is an address the policy refuses (a name is
        judged when it is resolved, at connection time). InvalidTarget for a bad URL."""
        address = url_address(url)
        if address is not None and not self.permits(address):
            raise TargetRefused(
                f"{address} is not a public address (allow it with "
                "RADAR_ALLOW_PRIVATE_TARGETS=true or RADAR_ALLOWED_TARGET_NETWORKS)"
            )


class TargetSettings(BaseSettings):
    """What outbound requests may reach beyond public addresses (``RADAR_`` variables)."""

    model_config = SettingsConfigDict(env_prefix="RADAR_", extra="ignore", frozen=True)

    allow_private_targets: bool = Field(
        default=False,
        description="Allow loopback, private and other non-public addresses (local use, tests)",
    )
    allowed_target_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = Field(
        default_factory=list,
        description="JSON list of networks allowed beside public addresses, e.g. "
        "'[\"10.1.0.0/16\"]'",
    )

    def target_policy(self) -> TargetPolicy:
        return TargetPolicy(self.allow_private_targets, tuple(self.allowed_target_networks))


def policy_from_env() -> TargetPolicy:
    """The policy the environment sets (RADAR_ALLOW_PRIVATE_TARGETS,
    RADAR_ALLOWED_TARGET_NETWORKS); public addresses only when neither is set."""
    return TargetSettings().target_policy()


# -- Resolution ---------------------------------------------------------------------------

_resolver_pool: ThreadPoolExecutor | None = None
_lookups: dict[str, "asyncio.Future[list[str]]"] = {}


def _lookup(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def system_resolver(host: str) -> list[str]:
    """The host's addresses from the system resolver, in its order, without duplicates.
    Lookups run on threads of their own (a name whose lookup hangs cannot starve the
    default executor), and callers asking for the same name at once share one lookup."""
    global _resolver_pool
    loop = asyncio.get_running_loop()
    pending = _lookups.get(host)
    if pending is None or pending.get_loop() is not loop:
        if _resolver_pool is None:
            _resolver_pool = ThreadPoolExecutor(16, thread_name_prefix="radar-resolve")
        pending = loop.run_in_executor(_resolver_pool, _lookup, host)
        _lookups[host] = pending
        pending.add_done_callback(lambda done: _forget(host, done))
    return list(await asyncio.shield(pending))


def _forget(host: str, done: "asyncio.Future[list[str]]") -> None:
    if _lookups.get(host) is done:
        del _lookups[host]
    if not done.cancelled():
        done.exception()  # retrieved: nobody may be left waiting for it


# -- httpx plumbing -----------------------------------------------------------------------


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, judges, then connects to the judged address."""

    def __init__(
        self,
        policy: TargetPolicy,
        *,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.policy = policy
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
        addresses = await self._addresses(host, timeout)
        address = self.policy.choose(host, addresses)
        return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)

    async def _addresses(self, host: str, timeout_s: float | None) -> list[str]:
        try:
            literal = host_address(host)  # 2130706433, 0x7f.1: never left to the resolver
        except InvalidTarget as exc:
            raise TargetRefused(str(exc)) from exc
        if literal is not None:
            return [str(literal)]
        try:
            async with asyncio.timeout(timeout_s):
                return await self.resolver(host)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:  # failures become httpcore's, as for any connection error
            raise httpcore.ConnectError(f"cannot resolve {host}") from exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("unix sockets are not outbound targets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the guarded backend under its connection pool; each request's
    URL (every redirect hop's too) is judged before the pool sees it."""

    def __init__(
        self,
        backend: GuardedBackend,
        max_connections: int = 100,
        max_keepalive_connections: int = 20,
    ) -> None:
        super().__init__(trust_env=False)
        self.policy = backend.policy
        # httpx does not expose httpcore's network_backend; the pool is replaced with one
        # built the same way, plus the backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=5.0,
            network_backend=backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in SCHEMES or not url.host:
            raise TargetRefused(f"not an http(s) URL with a host: {url.scheme}://{url.host}")
        try:
            address = host_address(url.host)
        except InvalidTarget as exc:
            raise TargetRefused(str(exc)) from exc
        if address is not None and not self.policy.permits(address):
            raise TargetRefused(f"{url.host} is not a public address")
        return await super().handle_async_request(request)


def guarded_client(
    *,
    policy: TargetPolicy,
    timeout_s: float,
    follow_redirects: bool = False,
    max_redirects: int = 5,
    headers: dict[str, str] | None = None,
    base_url: str = "",
    resolver: Resolver = system_resolver,
    backend: GuardedBackend | None = None,
) -> httpx.AsyncClient:
    """An httpx client whose every connection passes the guard, that never honours proxy
    variables; redirects (when followed) are judged hop by hop like the first request."""
    transport = GuardedTransport(backend or GuardedBackend(policy, resolver=resolver))
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        headers=headers,
        base_url=base_url,
        trust_env=False,
    )

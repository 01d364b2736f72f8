"""SSRF guard: refuse targets on private, loopback, link-local, multicast or reserved addresses.

The check is applied to the addresses a name resolved to, and the connection is then made to
the address that was checked (see adapters/transport.py), so a name that resolves differently
a second time (DNS rebinding) cannot slip past it."""

import ipaddress


class TargetRefused(ValueError):
    """The webhook target's address is not public and private targets are not allowed."""


def is_ip_literal(host: str) -> bool:
    """True for ``10.0.0.1``, ``::1`` and the like (no resolution needed)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def is_public(address: str) -> bool:
    """True for a globally routable unicast address. IPv4-mapped IPv6 is judged as IPv4;
    6to4 (2002::/16) and Teredo (2001::/32) addresses also need every IPv4 address they embed
    to be public; site-local fec0::/10 (deprecated, but ``is_global`` on Python 3.11) is not."""
    ip = ipaddress.ip_address(address)
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


def check_addresses(host: str, addresses: list[str]) -> None:
    """Raise TargetRefused unless every address ``host`` resolved to is public."""
    refused = [a for a in addresses if not is_public(a)]
    if refused or not addresses:
        raise TargetRefused(f"{host} resolves to non-public address(es) {refused or 'none'}")


def choose_address(host: str, addresses: list[str], *, allow_private: bool) -> str:
    """The address to connect to: the first one, once every address passed the guard
    (a name with one private address among public ones is refused as a whole)."""
    if not addresses:
        raise TargetRefused(f"{host} resolves to no address")
    if not allow_private:
        check_addresses(host, addresses)
    return addresses[0]

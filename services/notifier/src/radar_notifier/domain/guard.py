"""SSRF guard: refuse targets on private, loopback, link-local, multicast or reserved addresses."""

import ipaddress


class TargetRefused(ValueError):
    """The webhook target's address is not public and private targets are not allowed."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_addresses(host: str, addresses: list[str]) -> None:
    """Raise TargetRefused unless every address ``host`` resolved to is public."""
    refused = [a for a in addresses if not is_public(a)]
    if refused or not addresses:
        raise TargetRefused(f"{host} resolves to non-public address(es) {refused or 'none'}")

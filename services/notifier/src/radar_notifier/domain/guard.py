"""SSRF guard: refuse targets on private, loopback, link-local, multicast or reserved addresses.

The guard is the runtime's, shared by every outbound fetch (``radar_runtime.netguard``); these
names stay for the notifier's callers."""

from radar_runtime.netguard import TargetPolicy, TargetRefused, is_ip_literal, is_public

__all__ = ["TargetRefused", "check_addresses", "choose_address", "is_ip_literal", "is_public"]


def check_addresses(host: str, addresses: list[str]) -> None:
    """Raise TargetRefused unless every address ``host`` resolved to is public."""
    TargetPolicy().check(host, addresses)


def choose_address(host: str, addresses: list[str], *, allow_private: bool) -> str:
    """The address to connect to: the first one, once every address passed the guard
    (a name with one private address among public ones is refused as a whole)."""
    return TargetPolicy(allow_private=allow_private).choose(host, addresses)

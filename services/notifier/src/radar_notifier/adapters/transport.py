"""The httpx client every webhook request goes through: the runtime's SSRF guard in the
network backend (every TCP connection resolved, judged, then made to the judged address; the
Host header and TLS SNI keep the name), no redirects followed, no proxies from the
environment (see ``radar_runtime.netguard``)."""

import httpcore
import httpx

from radar_runtime import netguard
from radar_runtime.netguard import Resolver, TargetPolicy, system_resolver

__all__ = ["GuardedBackend", "GuardedTransport", "Resolver", "guarded_client", "system_resolver"]


class GuardedBackend(netguard.GuardedBackend):
    """The runtime's guarded backend, configured as the notifier always was: private
    targets allowed or not, or a whole policy."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        policy: TargetPolicy | None = None,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        super().__init__(
            policy or TargetPolicy(allow_private=allow_private), resolver=resolver, inner=inner
        )


GuardedTransport = netguard.GuardedTransport


def guarded_client(
    *,
    allow_private: bool = False,
    policy: TargetPolicy | None = None,
    timeout_s: float,
    resolver: Resolver = system_resolver,
) -> httpx.AsyncClient:
    """The client every webhook request goes through: guarded, no redirects, no proxies."""
    return netguard.guarded_client(
        policy=policy or TargetPolicy(allow_private=allow_private),
        timeout_s=timeout_s,
        follow_redirects=False,
        resolver=resolver,
    )

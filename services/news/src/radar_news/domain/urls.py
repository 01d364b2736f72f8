"""Canonical URLs: the same article reached through different links gets one URL."""

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that say how a reader arrived, not what they read (UTM, ad-click ids,
# mailing-list ids, and the per-feed markers heise, Medium and others append).
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid"
    r"|_hsenc|_hsmi|mkt_tok|wt_mc|wt_zmc|ocid|cmpid|ncid|spm|sr_share|ref|ref_src|source"
    r"|at_medium|at_campaign|rss|feature)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def resolve(link: str, base_url: str | None) -> str:
    """``link`` made absolute against ``base_url`` (xml:base or the feed's URL) when it is
    relative and a base is known."""
    link = link.strip()
    if base_url and not urlsplit(link).scheme:
        return urljoin(base_url, link)
    return link


def canonical_url(link: str) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters removed.
    Links that are not http(s) are returned stripped but otherwise unchanged."""
    parts = urlsplit(link.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return link.strip()
    host = parts.hostname.lower()
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))

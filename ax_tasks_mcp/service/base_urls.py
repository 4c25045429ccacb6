"""Base URLs of the Arize API: normalised, from a region, or from a host, scheme and port."""

from __future__ import annotations

import re
from typing import Final

import httpx

from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.redaction import mask_url

__all__ = ["DEFAULT_BASE_URL", "host_base_url", "normalize_base_url", "region_base_url"]

DEFAULT_BASE_URL: Final = "https://api.arize.com"
_REGION: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HOSTNAME: Final = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")
#: A host name that may stand without a scheme (it gets https://): a domain, no port.
_BARE_DOMAIN: Final = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(/\S*)?$")


def normalize_base_url(value: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash or ``/v2`` (paths add it).

    A bare domain name (``api.eu-west-1a.arize.com``) gets ``https://``; anything else without
    a scheme (an address, a port, a single word) is refused rather than guessed at.  Raises
    :class:`ConfigError` for something that is not an http(s) URL.
    """
    text = str(value).strip()
    shown = _shown(text)
    if not text:
        raise ConfigError("The base URL is empty; set ARIZE_BASE_URL or leave it unset.")
    if "://" not in text:
        if not _BARE_DOMAIN.match(text):
            raise ConfigError(
                f"The base URL {shown!r} has no scheme: write it as http://{shown} (a local "
                f"server such as the sandbox) or https://{shown}."
            )
        text = "https://" + text
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ConfigError(
            f"The base URL {shown!r} is not a valid URL ({_shown(str(exc))})."
        ) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(
            f"The base URL {shown!r} must be an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    if url.query or url.fragment or url.userinfo:
        raise ConfigError(
            f"The base URL {shown!r} must not contain credentials, a query or a fragment "
            "(the API key goes in ARIZE_API_KEY or a profile)."
        )
    text = str(url.copy_with(path=url.path.rstrip("/"))).rstrip("/")
    if text.endswith("/v2"):
        text = text[: -len("/v2")]
    return text


def _shown(text: str) -> str:
    """A base URL as a message may repeat it: user, password and query masked, with or
    without a scheme."""
    if "://" not in text and "@" in text:
        text = "***@" + text.rsplit("@", 1)[1]
    return mask_url(text)


def region_base_url(region: str) -> str:
    """``https://api.{region}.arize.com`` for a region such as ``eu-west-1a``."""
    name = region.strip().lower()
    if not _REGION.match(name):
        raise ConfigError(
            f"{region!r} is not a region name; regions look like eu-west-1a or ca-central-1a."
        )
    return f"https://api.{name}.arize.com"


def host_base_url(host: str, *, scheme: str | None, port: str | int | None, origin: str) -> str:
    host = host.strip()
    if not _HOSTNAME.match(host):
        raise ConfigError(f"{origin}: {host!r} is not a host name.")
    scheme_text = (scheme or "https").strip().lower() or "https"
    if scheme_text not in ("http", "https"):
        raise ConfigError(f"{origin}: the scheme must be http or https, not {scheme!r}.")
    port_number = 0
    if port is not None and str(port).strip():
        try:
            port_number = int(str(port).strip())
        except ValueError:
            raise ConfigError(f"{origin}: the port must be a number, not {port!r}.") from None
        if not 0 <= port_number <= 65535:
            raise ConfigError(f"{origin}: the port {port_number} is out of range.")
    suffix = f":{port_number}" if port_number else ""
    return f"{scheme_text}://{host}{suffix}"

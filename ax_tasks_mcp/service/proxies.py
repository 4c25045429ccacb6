"""The network a company has: the proxy the environment names, as httpx would pick it.

httpx honours ``HTTPS_PROXY`` and friends only when it builds its own transport; the service
gives it one (retries wrap it), so the choice is made here, with httpx's rules, once per client
(every request of a client goes to one base URL):

* ``<scheme>_proxy`` then ``ALL_PROXY``, lower case before upper case (``HTTP_PROXY`` in upper
  case is ignored under CGI, where a request header could set it); a value without a scheme is
  an ``http://`` proxy;
* ``NO_PROXY`` (either case): ``*``, host names (``example.com`` also covers its subdomains,
  ``.example.com`` only them), addresses, networks (``10.0.0.0/8``) and ``host:port``;
* on macOS and Windows, with none of these set, the system's proxy settings (as urllib reads
  them).

The company CA bundle (``SSL_CERT_FILE``, ``SSL_CERT_DIR``) is honoured by httpx's own transport,
proxied or not.  A proxy's URL is shown only masked: its user and password never appear.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.util import find_spec

import httpx

from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.redaction import mask_url

__all__ = [
    "PROXY_CREDENTIALS",
    "PROXY_EXTENSION",
    "ProxyChoice",
    "ProxyProblem",
    "ViaProxy",
    "choose_proxy",
    "network_transport",
]

#: The request extension that names the proxy a request went through (for error messages).
PROXY_EXTENSION = "ax_tasks_proxy"
#: The request extension that says the proxy's URL gives a user and password (a 407 then means
#: they were refused, not missing).
PROXY_CREDENTIALS = "ax_tasks_proxy_credentials"
_SCHEMES = ("http", "https", "socks5", "socks5h")
_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+")


class ProxyProblem(ConfigError):
    """A proxy variable that cannot be used: ``variable`` names it, ``reason`` says why in a
    few words (``config`` shows them in the proxy's row)."""

    def __init__(self, message: str, *, variable: str, reason: str) -> None:
        super().__init__(message)
        self.variable = variable
        self.reason = reason


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy for one base URL: ``url`` (None: direct) and where that came from, as
    ``config`` shows sources (``env HTTPS_PROXY``, ``env NO_PROXY (excludes h)``, ``default``)."""

    url: str | None
    source: str

    @property
    def shown(self) -> str | None:
        """The proxy's URL as it may be shown: user, password and query masked."""
        return None if self.url is None else mask_url(self.url)

    def describe(self) -> str:
        """``http://proxy:3128 (from HTTPS_PROXY)``, for messages."""
        return f"{self.shown} (from {self.source.removeprefix('env ')})"


def _first(env: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def _proxy_names(scheme: str, env: Mapping[str, str]) -> tuple[str, ...]:
    upper = f"{scheme.upper()}_PROXY"
    names: tuple[str, ...] = (f"{scheme}_proxy",)
    if not (scheme == "http" and "REQUEST_METHOD" in env):
        names += (upper,)
    return (*names, "all_proxy", "ALL_PROXY")


def _checked(name: str, value: str) -> str:
    """The proxy URL of variable ``name``, refused as a configuration error when unusable."""
    text = value if "://" in value else f"http://{value}"
    shown = mask_url(text)
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError):
        url = None
    usable = (
        url is not None
        and url.scheme in _SCHEMES
        and _HOST.fullmatch(url.host) is not None
        and (url.port is None or 0 < url.port < 65536)
    )
    if url is None or not usable:
        raise ProxyProblem(
            f"{name} must be a proxy URL such as http://proxy.example.com:3128 "
            f"(schemes: http, https, socks5), not {shown!r}.",
            variable=name,
            reason=f"{shown!r} is not a proxy URL (schemes: http, https, socks5)",
        )
    if url.scheme.startswith("socks") and find_spec("socksio") is None:
        raise ProxyProblem(
            f"{name} names a SOCKS proxy ({shown}), which needs the socksio package: "
            "pip install 'httpx[socks]', or use an http:// proxy.",
            variable=name,
            reason=f"{shown} is a SOCKS proxy, which needs pip install 'httpx[socks]'",
        )
    return text


def _bypassed(url: httpx.URL, entries: str) -> bool:
    """Whether NO_PROXY ``entries`` exclude ``url`` (httpx's and curl's rules)."""
    host = url.host.lower().strip("[]")
    port = url.port or (443 if url.scheme == "https" else 80)
    for raw in entries.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        if "://" in entry:
            scheme, _, entry = entry.partition("://")
            if scheme not in ("all", url.scheme):
                continue
        entry = entry.rstrip("/")
        wanted_port: int | None = None
        if entry.count(":") == 1 or (entry.startswith("[") and "]:" in entry):
            entry, _, port_text = entry.rpartition(":")
            wanted_port = int(port_text) if port_text.isdigit() else None
        entry = entry.strip("[]")
        if wanted_port is not None and wanted_port != port:
            continue
        if _host_matches(host, entry):
            return True
    return False


def _host_matches(host: str, entry: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        try:
            return address in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    if entry.startswith("*."):
        entry = entry[1:]
    if entry.startswith("."):
        return host.endswith(entry)
    return host == entry or host.endswith("." + entry)


def _system_proxies() -> dict[str, str]:
    """The system's proxy settings where they live outside the environment (macOS, Windows)."""
    if sys.platform not in ("darwin", "win32"):
        return {}
    import urllib.request

    return urllib.request.getproxies()


def choose_proxy(base_url: str, env: Mapping[str, str]) -> ProxyChoice:
    """The proxy requests to ``base_url`` go through, by the environment's rules (see above)."""
    url = httpx.URL(base_url)
    found = _first(env, _proxy_names(url.scheme, env))
    source = found[0] if found else None
    value = found[1] if found else None
    if found is None:
        system = _system_proxies()
        value = system.get(url.scheme) or system.get("all")
        source = "system proxy settings" if value else None
    if value is None or source is None:
        return ProxyChoice(None, "default")
    no_proxy = _first(env, ("no_proxy", "NO_PROXY"))
    if no_proxy is not None and _bypassed(url, no_proxy[1]):
        return ProxyChoice(None, f"env {no_proxy[0]} (excludes {url.host})")
    checked = _checked(source, value)
    return ProxyChoice(checked, source if " " in source else f"env {source}")


class ViaProxy(httpx.BaseTransport):
    """Marks each request with the proxy it goes through, so a failure can name it."""

    def __init__(self, inner: httpx.BaseTransport, choice: ProxyChoice) -> None:
        self.inner = inner
        self.label = choice.describe()
        self.credentials = choice.url is not None and bool(httpx.URL(choice.url).userinfo)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions[PROXY_EXTENSION] = self.label
        request.extensions[PROXY_CREDENTIALS] = self.credentials
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def network_transport(base_url: str, env: Mapping[str, str]) -> httpx.BaseTransport:
    """httpx's own transport to ``base_url``: through the proxy the environment names, if
    any; the CA bundle of ``SSL_CERT_FILE``/``SSL_CERT_DIR`` either way (httpx reads them)."""
    choice = choose_proxy(base_url, env)
    if choice.url is None:
        return httpx.HTTPTransport()
    return ViaProxy(httpx.HTTPTransport(proxy=choice.url), choice)

"""Where the API key, base URL, default space and timeouts come from.

Each setting is looked up layer by layer, highest first:

1. explicit arguments (CLI flags, MCP server options);
2. the environment: ``ARIZE_API_KEY``, ``ARIZE_SPACE``, ``ARIZE_BASE_URL``, ``ARIZE_API_HOST``
   (+ ``ARIZE_API_SCHEME`` / ``ARIZE_API_PORT``, as the official SDK reads them),
   ``ARIZE_REGION``, ``ARIZE_PROFILE``, ``AX_TASKS_CONNECT_TIMEOUT``, ``AX_TASKS_READ_TIMEOUT``;
3. our own profile file, ``<user config dir>/ax-tasks/profiles.toml``::

       active = "work"
       [profiles.work]
       api_key = "..."
       region = "eu-west-1a"      # or base_url = "https://..."
       space = "my-space"

4. the official ``ax`` CLI's profile, read-only: ``~/.arize/.active_profile`` names it,
   ``~/.arize/profiles/<name>.toml`` holds ``[auth] api_key`` and ``[routing]``;
5. defaults (``https://api.arize.com``).

Within one layer a base URL beats a host, which beats a region.  The profile is the one named
by argument, else ``ARIZE_PROFILE``, else the file's ``active``, else ``default``.  A profile
named on purpose must exist (in our file, or else as an ``ax`` profile); the implicit
``default`` may be absent.  ``AX_TASKS_CONFIG_DIR`` overrides the config directory.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
import platformdirs
import tomli_w

from ax_tasks_mcp.service.errors import AuthenticationError, ConfigError

__all__ = [
    "DEFAULT_BASE_URL",
    "PROFILE_KEYS",
    "ProfileList",
    "Settings",
    "list_profiles",
    "load_settings",
    "normalize_base_url",
    "profiles_path",
    "region_base_url",
    "save_profile",
]

DEFAULT_BASE_URL = "https://api.arize.com"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 4
DEFAULT_PROFILE = "default"
PROFILES_FILE = "profiles.toml"
#: Keys a profile in our file may set.
PROFILE_KEYS = ("api_key", "base_url", "region", "space")

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
_REGION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")


@dataclass(frozen=True)
class Settings:
    """Resolved configuration.  ``sources`` maps each field to where its value came from."""

    api_key: str | None = None
    base_url: str = DEFAULT_BASE_URL
    space: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    profile: str | None = None
    sources: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", normalize_base_url(self.base_url))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ConfigError(f"{name} must be a positive number of seconds, not {value!r}.")
        if isinstance(self.max_retries, bool) or not (
            isinstance(self.max_retries, int) and self.max_retries >= 0
        ):
            raise ConfigError(f"max_retries must be a whole number >= 0, not {self.max_retries!r}.")

    def __repr__(self) -> str:
        key = "'***'" if self.api_key else "None"
        return (
            f"Settings(api_key={key}, base_url={self.base_url!r}, space={self.space!r}, "
            f"connect_timeout={self.connect_timeout!r}, read_timeout={self.read_timeout!r}, "
            f"max_retries={self.max_retries!r}, profile={self.profile!r})"
        )

    __str__ = __repr__

    def source(self, name: str) -> str:
        """Where field ``name`` came from (``"default"`` when nothing set it)."""
        return self.sources.get(name, "default")

    def describe(self) -> dict[str, Any]:
        """A diagnostics view with the key masked, for ``config show``-style output."""
        return {
            "api_key": "***" if self.api_key else None,
            "base_url": self.base_url,
            "space": self.space,
            "connect_timeout": self.connect_timeout,
            "read_timeout": self.read_timeout,
            "max_retries": self.max_retries,
            "profile": self.profile,
            "sources": dict(self.sources),
        }

    def require_api_key(self) -> str:
        """The API key, or an :class:`AuthenticationError` saying where to put one."""
        if not self.api_key:
            raise AuthenticationError(
                "No Arize API key is configured. Set ARIZE_API_KEY, save one in an ax-tasks "
                "profile, or log in with the official ax CLI (its active profile is read too)."
            )
        return self.api_key


# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------


def normalize_base_url(value: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash or ``/v2`` (paths add it).

    A bare host gets ``https://``.  Raises :class:`ConfigError` for something that is not an
    http(s) URL.
    """
    text = str(value).strip()
    if not text:
        raise ConfigError("The base URL is empty; set ARIZE_BASE_URL or leave it unset.")
    if "://" not in text:
        text = "https://" + text
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ConfigError(f"The base URL {value!r} is not a valid URL ({exc}).") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(
            f"The base URL {value!r} must be an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    if url.query or url.fragment or url.userinfo:
        raise ConfigError(
            f"The base URL {value!r} must not contain credentials, a query or a fragment."
        )
    text = str(url.copy_with(path=url.path.rstrip("/"))).rstrip("/")
    if text.endswith("/v2"):
        text = text[: -len("/v2")]
    return text


def region_base_url(region: str) -> str:
    """``https://api.{region}.arize.com`` for a region such as ``eu-west-1a``."""
    name = region.strip().lower()
    if not _REGION.match(name):
        raise ConfigError(
            f"{region!r} is not a region name; regions look like eu-west-1a or ca-central-1a."
        )
    return f"https://api.{name}.arize.com"


def _host_base_url(host: str, *, scheme: str | None, port: str | int | None, origin: str) -> str:
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


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _config_dir(config_dir: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path:
    if config_dir is not None:
        return Path(config_dir)
    override = env.get("AX_TASKS_CONFIG_DIR", "").strip()
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("ax-tasks", appauthor=False))


def profiles_path(
    config_dir: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] = os.environ
) -> Path:
    """The path of our profiles file (it may not exist)."""
    return _config_dir(config_dir, env) / PROFILES_FILE


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The parsed file, None if it does not exist; ConfigError for anything unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; fix or delete the file.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}. Fix or delete the file.") from None


def _check_profile_name(name: str) -> str:
    if not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"{name!r} is not a valid profile name: use letters, digits, '_', '-' or '.'."
        )
    return name


@dataclass(frozen=True)
class _OwnFile:
    path: Path
    active: str | None
    profiles: dict[str, dict[str, str]]


def _load_own(path: Path) -> _OwnFile:
    data = _read_toml(path)
    if data is None:
        return _OwnFile(path, None, {})
    active = data.get("active")
    if active is not None and not isinstance(active, str):
        raise ConfigError(f"{path}: 'active' must be a profile name (a string).")
    raw = data.get("profiles", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table of [profiles.NAME] sections.")
    profiles: dict[str, dict[str, str]] = {}
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: [profiles.{name}] must be a table.")
        entry: dict[str, str] = {}
        for key, value in body.items():
            if key not in PROFILE_KEYS:
                raise ConfigError(
                    f"{path}: unknown key {key!r} in [profiles.{name}]; "
                    f"valid keys: {', '.join(PROFILE_KEYS)}."
                )
            if not isinstance(value, str):
                raise ConfigError(f"{path}: [profiles.{name}] {key} must be a string.")
            if value.strip():
                entry[key] = value.strip()
        profiles[name] = entry
    return _OwnFile(path, active.strip() if active else None, profiles)


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    """Expand ``${VAR}`` and ``${VAR:default}`` in strings (an unset or empty VAR → default)."""
    if not isinstance(value, str):
        return value

    def repl(match: re.Match[str]) -> str:
        found = env.get(match.group(1), "")
        return found if found else (match.group(2) or "")

    return _ENV_REF.sub(repl, value)


def _nonempty(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class _AxProfile:
    name: str
    path: Path
    api_key: str | None
    base_url: str | None


def _ax_dir(home: str | os.PathLike[str] | None) -> Path:
    return (Path(home) if home is not None else Path.home()) / ".arize"


def _ax_profile_names(home: str | os.PathLike[str] | None) -> list[str]:
    folder = _ax_dir(home) / "profiles"
    try:
        return sorted(p.stem for p in folder.glob("*.toml"))
    except OSError:
        return []


def _ax_active_name(home: str | os.PathLike[str] | None) -> str:
    marker = _ax_dir(home) / ".active_profile"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        name = marker.read_text(encoding="utf-8").strip()
        if name and _PROFILE_NAME.match(name):
            return name
    return DEFAULT_PROFILE


def _load_ax_profile(
    name: str, home: str | os.PathLike[str] | None, env: Mapping[str, str]
) -> _AxProfile | None:
    if not _PROFILE_NAME.match(name):
        return None
    path = _ax_dir(home) / "profiles" / f"{name}.toml"
    data = _read_toml(path)
    if data is None:
        return None
    auth = data.get("auth")
    routing = data.get("routing")
    auth = auth if isinstance(auth, dict) else {}
    routing = routing if isinstance(routing, dict) else {}
    api_key = _nonempty(_expand(auth.get("api_key"), env))
    origin = f"{path} [routing]"
    host = _nonempty(_expand(routing.get("single_host"), env))
    domain = _nonempty(_expand(routing.get("base_domain"), env))
    region = _nonempty(_expand(routing.get("region"), env))
    base_url: str | None = None
    if host:
        base_url = _host_base_url(
            host,
            scheme=_nonempty(_expand(routing.get("api_scheme"), env)),
            port=_expand(routing.get("single_port"), env),
            origin=origin,
        )
    elif domain:
        base_url = _host_base_url(
            f"api.{domain.lstrip('.')}", scheme="https", port=None, origin=origin
        )
    elif region:
        base_url = region_base_url(region)
    return _AxProfile(name, path, api_key, base_url)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _env_value(env: Mapping[str, str], name: str) -> str | None:
    return _nonempty(env.get(name))


def _env_seconds(env: Mapping[str, str], name: str) -> float | None:
    text = _env_value(env, name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"{name} must be a positive number of seconds, not {text!r}.")
    return value


def _available(own: _OwnFile, home: str | os.PathLike[str] | None) -> str:
    ours = ", ".join(sorted(own.profiles)) or "none"
    theirs = ", ".join(_ax_profile_names(home)) or "none"
    return f"ax-tasks profiles in {own.path}: {ours}; ax CLI profiles: {theirs}"


def load_settings(
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    space: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    env: Mapping[str, str] = os.environ,
    config_dir: str | os.PathLike[str] | None = None,
    home: str | os.PathLike[str] | None = None,
) -> Settings:
    """Resolve :class:`Settings` from arguments, environment, profiles and defaults."""
    if _nonempty(base_url) and _nonempty(region):
        raise ConfigError("Give either a base URL or a region, not both.")

    # Which profile?
    own = _load_own(profiles_path(config_dir, env=env))
    named: tuple[str, str] | None = None
    if _nonempty(profile):
        named = (str(profile).strip(), "argument")
    elif _env_value(env, "ARIZE_PROFILE"):
        named = (str(_env_value(env, "ARIZE_PROFILE")), "env ARIZE_PROFILE")
    elif own.active:
        named = (own.active, f"'active' in {own.path}")
    profile_name = named[0] if named else DEFAULT_PROFILE

    own_entry: dict[str, str] | None = own.profiles.get(profile_name)
    ax: _AxProfile | None
    if own_entry is None and named is not None:
        # A profile asked for on purpose: an ax CLI profile of that name will do.
        ax = _load_ax_profile(_check_profile_name(profile_name), home, env)
        if ax is None:
            raise ConfigError(
                f"Profile {profile_name!r} (from {named[1]}) does not exist. "
                f"Available: {_available(own, home)}. Create the profile first, or use one "
                "of those."
            )
    else:
        ax = _load_ax_profile(_ax_active_name(home), home, env)

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    def offer(name: str, value: Any, source: str) -> None:
        if name not in values and value is not None:
            values[name] = value
            sources[name] = source

    # 1. explicit arguments
    offer("api_key", _nonempty(api_key), "argument")
    offer("base_url", _nonempty(base_url), "argument")
    if _nonempty(region):
        offer("base_url", region_base_url(str(region)), "argument (region)")
    offer("space", _nonempty(space), "argument")

    # 2. environment
    offer("api_key", _env_value(env, "ARIZE_API_KEY"), "env ARIZE_API_KEY")
    offer("space", _env_value(env, "ARIZE_SPACE"), "env ARIZE_SPACE")
    offer("base_url", _env_value(env, "ARIZE_BASE_URL"), "env ARIZE_BASE_URL")
    env_host = _env_value(env, "ARIZE_API_HOST")
    if env_host and "base_url" not in values:
        url = _host_base_url(
            env_host,
            scheme=_env_value(env, "ARIZE_API_SCHEME"),
            port=_env_value(env, "ARIZE_API_PORT"),
            origin="ARIZE_API_HOST",
        )
        offer("base_url", url, "env ARIZE_API_HOST")
    env_region = _env_value(env, "ARIZE_REGION")
    if env_region and "base_url" not in values:
        offer("base_url", region_base_url(env_region), "env ARIZE_REGION")
    for key, var in (
        ("connect_timeout", "AX_TASKS_CONNECT_TIMEOUT"),
        ("read_timeout", "AX_TASKS_READ_TIMEOUT"),
    ):
        offer(key, _env_seconds(env, var), f"env {var}")

    # 3. our profile
    used_profile: str | None = None
    if own_entry is not None:
        used_profile = profile_name
        where = f"profile {profile_name!r} ({own.path})"
        offer("api_key", own_entry.get("api_key"), where)
        offer("space", own_entry.get("space"), where)
        offer("base_url", own_entry.get("base_url"), where)
        if own_entry.get("region") and "base_url" not in values:
            offer("base_url", region_base_url(own_entry["region"]), where)

    # 4. the ax CLI's profile
    if ax is not None:
        where = f"ax CLI profile {ax.name!r} ({ax.path})"
        offer("api_key", ax.api_key, where)
        offer("base_url", ax.base_url, where)

    # 5. defaults: the dataclass's own
    if "base_url" in values:
        try:
            values["base_url"] = normalize_base_url(values["base_url"])
        except ConfigError as exc:
            raise ConfigError(f"{exc.message} (from {sources['base_url']})") from None
    return Settings(**values, profile=used_profile, sources=sources)


# --------------------------------------------------------------------------------------------
# Writing profiles
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileList:
    """Our profile names, the file's ``active`` one, and the file path."""

    path: Path
    active: str | None
    names: list[str]


def list_profiles(
    config_dir: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] = os.environ
) -> ProfileList:
    """The profiles in our file (no values, so no key is exposed)."""
    own = _load_own(profiles_path(config_dir, env=env))
    return ProfileList(own.path, own.active, sorted(own.profiles))


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_profile(
    name: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    space: str | None = None,
    region: str | None = None,
    config_dir: str | os.PathLike[str] | None = None,
    activate: bool = False,
    env: Mapping[str, str] = os.environ,
) -> Path:
    """Create or update profile ``name`` in our file and return the file's path.

    Only the values given change; other profiles and keys are kept.  Setting a base URL
    drops the profile's region and the other way round.  The file is written atomically with
    mode 0600 in a 0700 directory.
    """
    _check_profile_name(name)
    if _nonempty(base_url) and _nonempty(region):
        raise ConfigError("Give the profile either a base URL or a region, not both.")
    path = profiles_path(config_dir, env=env)
    _load_own(path)  # refuse to rewrite a file we cannot read correctly
    current = _read_toml(path) or {}

    profiles = current.setdefault("profiles", {})
    entry = profiles.setdefault(name, {})
    if _nonempty(api_key):
        entry["api_key"] = str(api_key).strip()
    if _nonempty(space):
        entry["space"] = str(space).strip()
    if _nonempty(base_url):
        entry["base_url"] = normalize_base_url(str(base_url))
        entry.pop("region", None)
    if _nonempty(region):
        region_base_url(str(region))  # validate
        entry["region"] = str(region).strip().lower()
        entry.pop("base_url", None)
    if activate:
        current["active"] = name

    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
    _write_private(path, tomli_w.dumps(current).encode("utf-8"))
    return path

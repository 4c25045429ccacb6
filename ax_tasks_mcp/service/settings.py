"""Where the API key, base URL, default space and timeouts come from.

Each setting is looked up layer by layer, highest first:

1. explicit arguments (CLI flags, MCP server options);
2. the environment: ``ARIZE_API_KEY``, ``ARIZE_SPACE``, ``ARIZE_BASE_URL``, ``ARIZE_API_HOST``
   (+ ``ARIZE_API_SCHEME`` / ``ARIZE_API_PORT``, as the official SDK reads them),
   ``ARIZE_REGION``, ``ARIZE_PROFILE``, ``AX_TASKS_CONNECT_TIMEOUT``, ``AX_TASKS_READ_TIMEOUT``,
   ``AX_TASKS_RETRY_BUDGET`` (seconds one request may spend on all its attempts);
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

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ax_tasks_mcp.service.base_urls import (
    DEFAULT_BASE_URL,
    host_base_url,
    normalize_base_url,
    region_base_url,
)
from ax_tasks_mcp.service.errors import AuthenticationError, ConfigError
from ax_tasks_mcp.service.profile_files import ProfileFileError
from ax_tasks_mcp.service.profiles import (
    DEFAULT_PROFILE,
    PROFILE_KEYS,
    AxProfile,
    OwnFile,
    ax_active_name,
    ax_profile_names,
    check_profile_name,
    load_ax_profile,
    load_own,
    nonempty,
    profiles_path,
)
from ax_tasks_mcp.service.words import field as field_mark

__all__ = [
    "DEFAULT_BASE_URL",
    "PROFILE_KEYS",
    "Settings",
    "check_api_key",
    "load_settings",
    "normalize_base_url",
    "profiles_path",
    "region_base_url",
]

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 4
#: Seconds one request may spend on all its attempts (AX_TASKS_RETRY_BUDGET).
DEFAULT_RETRY_BUDGET = 40.0
#: The source of an API key that ARIZE_API_KEY set to spaces: a mistake to name, not to skip.
BLANK_KEY = "env ARIZE_API_KEY (set but blank)"
#: What each owner's profile file may set (ours also names the active profile).
_FILE_FIELDS: dict[str, tuple[str, ...]] = {
    "ax-tasks": ("profile", "api_key", "base_url", "space"),
    "ax": ("api_key", "base_url"),
}


@dataclass(frozen=True)
class Settings:
    """Resolved configuration.  ``sources`` maps each field to where its value came from."""

    api_key: str | None = None
    base_url: str = DEFAULT_BASE_URL
    space: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    retry_budget: float = DEFAULT_RETRY_BUDGET
    profile: str | None = None
    sources: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )
    unread: tuple[str, ...] = field(default=(), compare=False)
    """Why each profile file that could not be read was skipped (file, line, key)."""
    unknown: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )
    """Each setting a skipped file may hold that nothing above it set, and where that file's
    fault is (``<path>, line 3 (api_key)``): its value in force is not known."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", normalize_base_url(self.base_url))
        if self.api_key is not None:
            check_api_key(self.api_key, self.sources.get("api_key", "the settings"))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "unknown", MappingProxyType(dict(self.unknown)))
        for name in ("connect_timeout", "read_timeout", "retry_budget"):
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
            "retry_budget": self.retry_budget,
            "profile": self.profile,
            "sources": dict(self.sources),
        }

    def check_files(self) -> None:
        """Refuse, for the real API, a profile file that could not be read when it may hold
        what the flags and the environment did not give: the key, or the base URL."""
        if not self.unread:
            return
        if not self.api_key:
            missing = "no API key came from the command line or the environment (ARIZE_API_KEY)"
        elif not self.source("base_url").startswith(("argument", "env ")):
            missing = (
                f"it may set the base URL; give {field_mark('base_url')}, ARIZE_BASE_URL or "
                "ARIZE_REGION to go on without it"
            )
        else:
            return
        raise ConfigError(f"{self.unread[0]} It is needed here: {missing}.")

    def require_api_key(self) -> str:
        """The API key, or an error saying where to put one: a :class:`ConfigError` for a key
        set to spaces or one in a file that cannot be read, else an
        :class:`AuthenticationError`."""
        if self.source("api_key") == BLANK_KEY:
            raise ConfigError(
                "ARIZE_API_KEY is set but blank (only spaces): put the API key in it, or unset "
                "it to use a profile's key."
            )
        if not self.api_key and self.unread:
            self.check_files()
        if not self.api_key:
            raise AuthenticationError(
                "No Arize API key is configured. Set ARIZE_API_KEY, save one in an ax-tasks "
                "profile, or log in with the official ax CLI (its active profile is read too)."
            )
        return self.api_key


def check_api_key(key: str, source: str) -> None:
    """Refuse a key that cannot go in an HTTP header, saying where it came from and what is
    wrong with it - and nothing of the key itself."""
    problem: str | None = None
    if any(ch in "\r\n" for ch in key):
        problem = "a line break"
    elif any(ord(ch) > 126 for ch in key):
        problem = "a non-ASCII character"
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        problem = "a control character"
    elif any(ch.isspace() for ch in key):
        problem = "a space"
    if problem is not None:
        raise ConfigError(
            f"The API key (from {source}) contains {problem}, so it cannot be sent in an HTTP "
            "header. Copy the key again from the Arize UI; it is never shown here."
        )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _env_value(env: Mapping[str, str], name: str) -> str | None:
    return nonempty(env.get(name))


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


def _available(own: OwnFile, home: str | os.PathLike[str] | None) -> str:
    ours = ", ".join(sorted(own.profiles)) or "none"
    theirs = ", ".join(ax_profile_names(home)) or "none"
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
    if nonempty(base_url) and nonempty(region):
        raise ConfigError("Give either a base URL or a region, not both.")

    # Which profile?
    # A profile file that cannot be read is skipped for now: it blocks only a command that
    # needs what it might hold (Settings.check_files, require_api_key).
    unread: list[ProfileFileError] = []
    own_path = profiles_path(config_dir, env=env)
    try:
        own = load_own(own_path)
    except ProfileFileError as exc:
        unread.append(exc)
        own = OwnFile(own_path, None, {})
    named: tuple[str, str] | None = None
    if nonempty(profile):
        named = (str(profile).strip(), "argument")
    elif _env_value(env, "ARIZE_PROFILE"):
        named = (str(_env_value(env, "ARIZE_PROFILE")), "env ARIZE_PROFILE")
    elif own.active:
        named = (own.active, f"'active' in {own.path}")
    profile_name = named[0] if named else DEFAULT_PROFILE

    own_entry: dict[str, str] | None = own.profiles.get(profile_name)
    ax: AxProfile | None
    if own_entry is None and named is not None:
        if unread:  # the profile asked for may be in the file that cannot be read
            raise unread[0]
        # A profile asked for on purpose: an ax CLI profile of that name will do.
        ax = load_ax_profile(check_profile_name(profile_name), home, env)
        if ax is None:
            where = field_mark("profile") if named[1] == "argument" else named[1]
            raise ConfigError(
                f"Profile {profile_name!r} (from {where}) does not exist. "
                f"Available: {_available(own, home)}. Create the profile first, or use one "
                "of those."
            )
    else:
        try:
            ax = load_ax_profile(ax_active_name(home), home, env)
        except ProfileFileError as exc:
            unread.append(exc)
            ax = None

    values: dict[str, Any] = {}
    sources: dict[str, str] = {"profile": named[1]} if named else {}

    def offer(name: str, value: Any, source: str) -> None:
        if name not in sources and value is not None:
            values[name] = value
            sources[name] = source

    # 1. explicit arguments
    offer("api_key", nonempty(api_key), "argument")
    offer("base_url", nonempty(base_url), "argument")
    if nonempty(region):
        offer("base_url", region_base_url(str(region)), "argument (region)")
    offer("space", nonempty(space), "argument")

    # 2. environment
    offer("api_key", _env_value(env, "ARIZE_API_KEY"), "env ARIZE_API_KEY")
    raw_key = env.get("ARIZE_API_KEY", "")
    if "api_key" not in sources and raw_key and not raw_key.strip():
        sources["api_key"] = BLANK_KEY  # set to spaces: a mistake, not "use the profile's"
    offer("space", _env_value(env, "ARIZE_SPACE"), "env ARIZE_SPACE")
    offer("base_url", _env_value(env, "ARIZE_BASE_URL"), "env ARIZE_BASE_URL")
    env_host = _env_value(env, "ARIZE_API_HOST")
    if env_host and "base_url" not in values:
        url = host_base_url(
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
        ("retry_budget", "AX_TASKS_RETRY_BUDGET"),
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
            where = sources["base_url"]
            if where == "argument":  # each face names its own option or parameter
                where = field_mark("base_url")
            raise ConfigError(f"{exc.message.rstrip('.')} (from {where}).") from None
    return Settings(
        **values,
        profile=used_profile,
        sources=sources,
        unread=tuple(exc.message for exc in unread),
        unknown=_unknown(unread, sources),
    )


def _unknown(unread: list[ProfileFileError], sources: Mapping[str, str]) -> dict[str, str]:
    """Each setting a file that could not be read may hold, with nothing above that file's
    layer setting it: where the file's fault is.  The ax CLI's file is the lowest layer; ours
    sits below the arguments and the environment only."""
    found: dict[str, str] = {}
    for exc in unread:
        for name in _FILE_FIELDS[exc.owner]:
            source = sources.get(name, "default")
            above = source.startswith(("argument", "env ")) or (
                exc.owner == "ax" and source != "default"
            )
            if not above:
                found.setdefault(name, exc.where)
    return found

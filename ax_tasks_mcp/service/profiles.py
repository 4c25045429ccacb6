"""The profile files settings are read from: our own ``profiles.toml`` and, read-only, the
official ``ax`` CLI's ``~/.arize`` profiles (see settings.py for the order of the layers)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import platformdirs

from ax_tasks_mcp.service.base_urls import host_base_url, region_base_url
from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.profile_files import file_problem, read_toml

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES_FILE",
    "PROFILE_KEYS",
    "AxProfile",
    "OwnFile",
    "ax_active_name",
    "ax_profile_names",
    "check_profile_name",
    "load_ax_profile",
    "load_own",
    "nonempty",
    "profiles_path",
]

DEFAULT_PROFILE: Final = "default"
PROFILES_FILE: Final = "profiles.toml"
#: The keys a profile of ours may hold.
PROFILE_KEYS: Final = ("api_key", "base_url", "region", "space")
PROFILE_NAME: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
ENV_REF: Final = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")


def config_dir_path(config_dir: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path:
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
    return config_dir_path(config_dir, env) / PROFILES_FILE


def check_profile_name(name: str) -> str:
    if not PROFILE_NAME.match(name):
        raise ConfigError(
            f"{name!r} is not a valid profile name: use letters, digits, '_', '-' or '.'."
        )
    return name


@dataclass(frozen=True)
class OwnFile:
    path: Path
    active: str | None
    profiles: dict[str, dict[str, str]]


def load_own(path: Path) -> OwnFile:
    data = read_toml(path, "ax-tasks")
    if data is None:
        return OwnFile(path, None, {})

    def fault(reason: str, key: str | None = None, section: str | None = None) -> ConfigError:
        return file_problem(path, reason, owner="ax-tasks", key=key, section=section)

    active = data.get("active")
    if active is not None and not isinstance(active, str):
        raise fault("must be a profile name (a string)", "active")
    raw = data.get("profiles", {})
    if not isinstance(raw, dict):
        raise fault("must be a table of [profiles.NAME] sections", "profiles")
    profiles: dict[str, dict[str, str]] = {}
    for name, body in raw.items():
        section = f"profiles.{name}"
        if not isinstance(body, dict):
            raise fault("must be a table", name, "profiles")
        entry: dict[str, str] = {}
        for key, value in body.items():
            if key not in PROFILE_KEYS:
                raise fault(f"unknown key; valid keys: {', '.join(PROFILE_KEYS)}", key, section)
            if not isinstance(value, str):
                raise fault("must be a string", key, section)
            if value.strip():
                entry[key] = value.strip()
        profiles[name] = entry
    return OwnFile(path, active.strip() if active else None, profiles)


def expand(value: Any, env: Mapping[str, str]) -> Any:
    """Expand ``${VAR}`` and ``${VAR:default}`` in strings (an unset or empty VAR → default)."""
    if not isinstance(value, str):
        return value

    def repl(match: re.Match[str]) -> str:
        found = env.get(match.group(1), "")
        return found if found else (match.group(2) or "")

    return ENV_REF.sub(repl, value)


def nonempty(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class AxProfile:
    name: str
    path: Path
    api_key: str | None
    base_url: str | None


def ax_dir(home: str | os.PathLike[str] | None) -> Path:
    return (Path(home) if home is not None else Path.home()) / ".arize"


def ax_profile_names(home: str | os.PathLike[str] | None) -> list[str]:
    folder = ax_dir(home) / "profiles"
    try:
        return sorted(p.stem for p in folder.glob("*.toml"))
    except OSError:
        return []


def ax_active_name(home: str | os.PathLike[str] | None) -> str:
    marker = ax_dir(home) / ".active_profile"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        name = marker.read_text(encoding="utf-8").strip()
        if name and PROFILE_NAME.match(name):
            return name
    return DEFAULT_PROFILE


def load_ax_profile(
    name: str, home: str | os.PathLike[str] | None, env: Mapping[str, str]
) -> AxProfile | None:
    if not PROFILE_NAME.match(name):
        return None
    path = ax_dir(home) / "profiles" / f"{name}.toml"
    data = read_toml(path, "ax")
    if data is None:
        return None
    return _ax_profile(name, path, data, env)


def _ax_profile(name: str, path: Path, data: dict[str, Any], env: Mapping[str, str]) -> AxProfile:
    auth = data.get("auth")
    routing = data.get("routing")
    auth = auth if isinstance(auth, dict) else {}
    routing = routing if isinstance(routing, dict) else {}
    api_key = nonempty(expand(auth.get("api_key"), env))
    host = nonempty(expand(routing.get("single_host"), env))
    domain = nonempty(expand(routing.get("base_domain"), env))
    region = nonempty(expand(routing.get("region"), env))
    key = "single_host" if host else "base_domain" if domain else "region"
    try:
        base_url: str | None = None
        if host:
            base_url = host_base_url(
                host,
                scheme=nonempty(expand(routing.get("api_scheme"), env)),
                port=expand(routing.get("single_port"), env),
                origin=key,
            )
        elif domain:
            base_url = host_base_url(
                f"api.{domain.lstrip('.')}", scheme="https", port=None, origin=key
            )
        elif region:
            base_url = region_base_url(region)
    except ConfigError as exc:  # a routing value that cannot make a URL
        reason = exc.message.removeprefix(f"{key}: ")
        for word, named in (("port", "single_port"), ("scheme", "api_scheme")):
            key = named if reason.startswith(f"the {word}") else key
        raise file_problem(path, reason, owner="ax", key=key, section="routing") from None
    return AxProfile(name, path, api_key, base_url)

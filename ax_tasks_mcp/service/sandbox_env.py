"""The embedded sandbox's settings that can be checked without opening it, so a face that opens
it late (``ax-tasks-mcp``, on its first tool call) still refuses them when it starts.  Light on
purpose: it imports neither the service nor httpx."""

from __future__ import annotations

from ax_tasks_mcp.service.errors import ConfigError

__all__ = ["sandbox_speed"]


def sandbox_speed() -> float:
    """``$AX_TASKS_SANDBOX_SPEED`` (1 when unset), or a :class:`ConfigError` naming the range it
    must be in; give it to ``connect(sandbox=True, speed=...)``."""
    from ax_tasks_mcp.sandbox.settings import SandboxSettingError, speed_from_env

    try:
        return speed_from_env()
    except SandboxSettingError as exc:
        raise ConfigError(exc.message) from None

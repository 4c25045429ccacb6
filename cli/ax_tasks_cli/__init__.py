"""The ``ax-tasks`` command line (entry point: :mod:`ax_tasks_cli.main`).

httpx imports its own command-line client (click, rich and pygments: a sixth of a second)
whenever they are installed; ax-tasks never runs it, so it is marked absent before anything
imports httpx, and httpx keeps the stub it has for that case.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

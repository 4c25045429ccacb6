"""The version of ax-tasks.

Written out rather than read from the installed metadata: ``importlib.metadata`` costs every
command a twentieth of a second (zipfile, csv, email parsing) for one string in the User-Agent.
A test holds it equal to pyproject.toml's and to the installed package's.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"

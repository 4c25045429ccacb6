"""The committed generated_client/ is exactly what openapi/tasks.yaml generates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e  # runs the pinned generator in its own environment
def test_committed_client_matches_the_spec() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "regen.sh"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "matches openapi/tasks.yaml" in result.stdout

"""Profiles hold keys: the file is the owner's alone, and no description of settings shows it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ax_tasks_mcp.service.settings import list_profiles, load_settings, save_profile
from tests.secrets.conftest import SECRET


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: the modes must not depend on the user's."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_profile_file_is_0600_in_a_0700_folder(config_dir: Path, open_umask: None) -> None:
    path = save_profile("work", api_key=SECRET, config_dir=config_dir)
    assert path.parent == config_dir
    assert _mode(path) == 0o600
    assert _mode(config_dir) == 0o700
    assert SECRET in path.read_text()  # it is stored, for the owner only


def test_rewriting_a_readable_profile_file_makes_it_0600(
    config_dir: Path, open_umask: None
) -> None:
    path = save_profile("work", api_key=SECRET, config_dir=config_dir)
    path.chmod(0o644)
    save_profile("other", space="demo", config_dir=config_dir, activate=True)
    assert _mode(path) == 0o600
    assert not [p.name for p in config_dir.iterdir() if p.name != path.name]  # no temp files


def test_descriptions_of_settings_never_show_the_key(config_dir: Path) -> None:
    save_profile("work", api_key=SECRET, config_dir=config_dir, activate=True)
    settings = load_settings(config_dir=config_dir, env={})
    assert settings.api_key == SECRET
    for text in (repr(settings), str(settings), repr(settings.describe())):
        assert SECRET not in text
    assert SECRET not in repr(list_profiles(config_dir, env={}))

"""Red team: the shared fallback cache of ``get_file``.

When the cache root is not writable, Keras 3.15 falls back to ``/tmp/.keras``, one folder for
every user of the machine (a JupyterHub server, a lab computer): whoever creates it first can
plant files or links there that other users' ``get_file`` then trusts or writes through.
kerlite falls back to ``<tmp>/.kerlite-<uid>``, created private (0700), and refuses it when it
is a link or belongs to another user.
"""

import os
import stat
import tempfile

import pytest

from kerlite.utils import file_utils, get_file


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_fallback_cache_is_per_user_and_private(private_tmp, monkeypatch):
    served = private_tmp / "served.bin"
    served.write_bytes(b"payload")
    real_access = os.access
    unwritable = str(private_tmp / "readonly-home")
    monkeypatch.setattr(file_utils.os, "access",
                        lambda path, mode: False if path == unwritable else real_access(path, mode))
    path = get_file("served.bin", origin=served.as_uri(), cache_dir=unwritable)
    folder = private_tmp / f".kerlite-{os.getuid()}"
    assert path == str(folder / "datasets" / "served.bin")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert not (private_tmp / ".kerlite").exists()


def test_a_planted_link_as_the_fallback_cache_is_refused(private_tmp):
    elsewhere = private_tmp / "attacker-controlled"
    elsewhere.mkdir()
    os.symlink(elsewhere, private_tmp / f".kerlite-{os.getuid()}")
    with pytest.raises(PermissionError, match="link or belongs to another user"):
        file_utils._private_temp_cache()
    assert list(elsewhere.iterdir()) == []

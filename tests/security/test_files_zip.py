"""A ``.keras`` zip is checked before it is read (issue 14, item 5; issue 15, item 4).

Each test makes its hostile archive at run time from a normal kerlite file: a zip-bomb
member, a member that declares a huge size, too many members, asset names that would
land outside the assets folder, and limits that a trusted big file may raise with
``keras.config.set_load_limits``. Each refusal is a ValueError naming the limit.
"""

import json
import stat
import struct
import zipfile

import numpy as np
import pytest

import kerlite as keras
from _files_attack_helpers import (ATTEMPT, assert_unchanged, run_limited, small_model,
                                   weights_copy)
from kerlite.safe_loading import DEFAULT_LOAD_LIMITS


def model_file(tmp_path):
    path = tmp_path / "model.keras"
    small_model().save(path)
    return path


def rebuilt(path, target, replace=None, extra=()):
    """Copy the zip ``path`` to ``target``, replacing members (name -> (data, method))
    and adding ``extra`` ZipInfo/data pairs."""
    replace = replace or {}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            data, method = replace.get(name, (source.read(name), zipfile.ZIP_STORED))
            out.writestr(name, data, compress_type=method)
        for info, data in extra:
            out.writestr(info, data)
    return target


def patch_declared_size(path, name, uncompressed, compressed=None):
    """Overwrite the sizes that the central directory declares for member ``name``."""
    raw = bytearray(path.read_bytes())
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack("<H", raw[at + 28:at + 30])[0]
        if bytes(raw[at + 46:at + 46 + name_length]) == name.encode():
            if compressed is not None:
                raw[at + 20:at + 24] = struct.pack("<I", compressed)
            raw[at + 24:at + 28] = struct.pack("<I", uncompressed)
            path.write_bytes(bytes(raw))
            return path
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not found")


def test_zip_bomb_members_are_refused_before_reading(tmp_path):
    """8 MiB of zeros deflated to a few KiB (ratio ~1000) in the weights, the config or
    the assets. Keras 3.15 checks the ratio only above 4 GiB, so it reads such members
    in full up to that size."""
    source = model_file(tmp_path)
    zeros = bytes(8 * 2**20)
    model = small_model()
    before = weights_copy(model)
    for name, target in (("model.weights.h5", "weights_bomb"), ("config.json", "config_bomb"),
                         ("assets/layers/x/vocabulary.txt", "asset_bomb")):
        if name.startswith("assets"):
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            hostile = rebuilt(source, tmp_path / f"{target}.keras", extra=[(info, zeros)])
        else:
            hostile = rebuilt(source, tmp_path / f"{target}.keras",
                              replace={name: (zeros, zipfile.ZIP_DEFLATED)})
        assert hostile.stat().st_size < 64 * 1024
        with pytest.raises(ValueError, match="max_zip_compression_ratio") as refused:
            keras.models.load_model(hostile)
        assert "keras.config.set_load_limits(max_zip_compression_ratio=" in str(refused.value)
        assert repr(name) in str(refused.value)
        if name == "model.weights.h5":
            with pytest.raises(ValueError, match="max_zip_compression_ratio"):
                model.load_weights(hostile)
    assert_unchanged(model, before)


def test_members_declaring_huge_sizes_are_refused(tmp_path):
    """The central directory claims ~4 GiB for a member of a few KiB: refused from the
    declared sizes (ratio, then size), without reading; checked in a child with 2 GiB
    of memory. Keras 3.15 would allocate the member (below its 4 GiB floor)."""
    source = model_file(tmp_path)
    declared = 0xFFFFFFFE
    ratio_bomb = patch_declared_size(rebuilt(source, tmp_path / "ratio.keras"),
                                     "model.weights.h5", declared)
    size_bomb = patch_declared_size(rebuilt(source, tmp_path / "size.keras"),
                                    "model.weights.h5", declared, compressed=declared)
    result = run_limited(ATTEMPT + f'''
import kerlite as keras
ratio = attempt(lambda: keras.models.load_model({str(ratio_bomb)!r}))
keras.config.set_load_limits(max_zip_member_bytes=2**30)
size = attempt(lambda: keras.models.load_model({str(size_bomb)!r}))
print(json.dumps({{"ratio": ratio, "size": size}}))
''')
    assert result["ratio"].startswith("ValueError") and \
        "max_zip_compression_ratio" in result["ratio"], result
    assert result["size"].startswith("ValueError") and \
        f"{declared:,}" in result["size"] and "max_zip_member_bytes" in result["size"], result


def test_too_many_members_are_refused_unless_the_limit_is_raised(tmp_path):
    """10,001 members, counted from the zip's end record before Python parses the
    directory. Keras 3.15 has no such limit (its extraction writes every member)."""
    source = model_file(tmp_path)
    count = DEFAULT_LOAD_LIMITS["max_zip_members"] + 1
    extra = [(zipfile.ZipInfo(f"assets/many/{index}.txt"), b"") for index in range(count)]
    hostile = rebuilt(source, tmp_path / "many.keras", extra=extra)
    with pytest.raises(ValueError, match="max_zip_members") as refused:
        keras.models.load_model(hostile)
    assert "keras.config.set_load_limits(max_zip_members=" in str(refused.value)
    few = rebuilt(source, tmp_path / "few.keras", extra=extra[:3])  # 6 members
    keras.config.set_load_limits(max_zip_members=5)
    with pytest.raises(ValueError, match="max_zip_members=5"):
        keras.models.load_model(few)
    keras.config.set_load_limits(max_zip_members=6)  # a file you trust
    assert keras.models.load_model(few).count_params() == 15


@pytest.mark.parametrize("name", [
    "assets/../escaped.txt", "assets/layers/../../escaped.txt", "assets//tmp/escaped.txt",
    "assets/..\\..\\escaped.txt", "assets/C:/escaped.txt", "assets/layers/link"])
def test_asset_members_cannot_land_outside_the_assets_folder(tmp_path, name):
    """Names with '..', absolute parts, backslashes or drive letters, and members that
    are symbolic links, are refused before anything is written. (Keras 3.15 also
    refuses traversal, through its extraction filter.)"""
    info = zipfile.ZipInfo(name)
    data = b"written outside"
    if name.endswith("link"):
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        data = b"../../../../escaped.txt"
    hostile = rebuilt(model_file(tmp_path), tmp_path / "slip.keras", extra=[(info, data)])
    with pytest.raises(ValueError, match="Refusing the archive member"):
        keras.models.load_model(hostile)
    escaped = [path for path in tmp_path.parent.rglob("escaped.txt")]
    assert escaped == []


def test_json_and_asset_limits_name_the_setting(tmp_path):
    """config.json and the unpacked assets have their own limits (lowered here)."""
    source = model_file(tmp_path)
    keras.config.set_load_limits(max_json_bytes=100)
    with pytest.raises(ValueError, match=r"max_json_bytes=100\b"):
        keras.models.load_model(source)
    keras.config.set_load_limits(max_json_bytes=None, max_assets_bytes=10)
    with_assets = rebuilt(source, tmp_path / "assets.keras",
                          extra=[(zipfile.ZipInfo("assets/a/b.txt"), b"x" * 11)])
    with pytest.raises(ValueError, match=r"max_assets_bytes=10\b"):
        keras.models.load_model(with_assets)
    keras.config.set_load_limits(max_assets_bytes=None)
    assert keras.models.load_model(with_assets).count_params() == 15
    with pytest.raises(TypeError, match="Unknown load limit"):
        keras.config.set_load_limits(max_everything=1)
    with pytest.raises(ValueError, match="positive int"):
        keras.config.set_load_limits(max_json_bytes=-1)
    assert keras.config.get_load_limits() == DEFAULT_LOAD_LIMITS


def test_config_is_parsed_only_after_its_size_is_checked(tmp_path):
    """A config.json that is not JSON still fails clearly (after the size check)."""
    hostile = rebuilt(model_file(tmp_path), tmp_path / "bad.keras",
                      replace={"config.json": (b"{not json", zipfile.ZIP_STORED)})
    with pytest.raises(ValueError, match="not valid JSON"):
        keras.models.load_model(hostile)
    assert json.loads(zipfile.ZipFile(model_file(tmp_path)).read("config.json"))
    assert np.isfinite(small_model().get_weights()[0]).all()

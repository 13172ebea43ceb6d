"""The one table of load limits and its one setter, ``keras.config.set_load_limits``.

Every limit on what an untrusted file may ask for lives in
``kerlite.safe_loading.LOAD_LIMITS``. For each one, a small file made here is refused under
a lowered limit; the refusal names the limit and shows the exact ``set_load_limits`` call;
running that call (as a user would copy it) lets the same file load, without re-importing
anything. The setter checks every value before it changes any. (Keras 3.15 has no such
setter: its few limits are module constants.)
"""

import io
import pathlib
import pickle
import re
import tarfile
import zipfile

import numpy as np
import pytest

import kerlite as keras
from kerlite.datasets._safe_pickle import load_pickle
from kerlite.safe_loading import DEFAULT_LOAD_LIMITS, LOAD_LIMITS
from kerlite.utils.archive_utils import extract_archive

SECURITY_MD = pathlib.Path(__file__).resolve().parents[2] / "SECURITY.md"


def _dense_model():
    inputs = keras.Input(shape=(4,), name="features")
    return keras.Model(inputs, keras.layers.Dense(3, name="dense")(inputs))


def _saved(tmp_path, extra_members=()):
    """A small .keras file, with ``extra_members`` ((ZipInfo, bytes) pairs) added."""
    path = tmp_path / "model.keras"
    _dense_model().save(path)
    if extra_members:
        with zipfile.ZipFile(path, "a") as archive:
            for info, data in extra_members:
                archive.writestr(info, data)
    return path


def _deflated(name, data):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, data


def _load(path):
    return lambda: keras.saving.load_model(path)


def _json_model(tmp_path):
    text = _dense_model().to_json()
    return lambda: keras.models.model_from_json(text)


def _matmul_model(tmp_path):
    inputs = keras.Input(shape=(8, 8))
    model = keras.Model(inputs, keras.ops.matmul(inputs, inputs))
    path = tmp_path / "matmul.keras"
    model.save(path)
    return _load(path)


def _repeat_model(tmp_path):
    inputs = keras.Input(shape=(4,))
    text = keras.Model(inputs, keras.layers.RepeatVector(8)(inputs)).to_json()
    return lambda: keras.models.model_from_json(text)


def _archive(tmp_path, count, size):
    path = tmp_path / "download.tar"
    with tarfile.open(path, "w") as archive:
        for index in range(count):
            info = tarfile.TarInfo(f"file{index}.txt")
            info.size = size
            archive.addfile(info, io.BytesIO(b"x" * size))
    return lambda: extract_archive(str(path), str(tmp_path / "extracted"))


def _nested_pickle(tmp_path):
    value = [1]
    for _ in range(10):
        value = [value]
    data = pickle.dumps(value, protocol=2)
    return lambda: load_pickle(io.BytesIO(data))


# limit name -> (a lowered value that refuses the file, the file as a "load it" function)
CASES = {
    "max_json_depth": (3, _json_model),
    "max_json_bytes": (100, lambda tmp_path: _load(_saved(tmp_path))),
    "max_array_bytes": (16, lambda tmp_path: _load(_saved(tmp_path))),
    "max_operation_flops": (100, _matmul_model),
    "max_sample_bytes": (64, _repeat_model),
    "max_zip_member_bytes": (1000, lambda tmp_path: _load(_saved(tmp_path))),
    "max_zip_compression_ratio": (100, lambda tmp_path: _load(_saved(
        tmp_path, [_deflated("assets/blob/zeros.bin", bytes(2 * 2**20))]))),
    "max_zip_members": (2, lambda tmp_path: _load(_saved(tmp_path))),
    "max_assets_bytes": (10, lambda tmp_path: _load(_saved(
        tmp_path, [(zipfile.ZipInfo("assets/a/b.txt"), b"x" * 11)]))),
    "max_archive_bytes": (50, lambda tmp_path: _archive(tmp_path, 2, 40)),
    "max_archive_members": (2, lambda tmp_path: _archive(tmp_path, 3, 1)),
    "max_pickle_depth": (5, _nested_pickle),
}


def test_every_limit_has_a_case_here():
    assert set(CASES) == set(LOAD_LIMITS)


def test_the_table_gives_each_limit_a_default_and_a_meaning():
    for name, limit in LOAD_LIMITS.items():
        assert type(limit.default) is int and limit.default > 0, name
        assert limit.bounds and "\n" not in limit.bounds, name
    assert DEFAULT_LOAD_LIMITS == {name: limit.default for name, limit in LOAD_LIMITS.items()}


@pytest.mark.parametrize("name", sorted(LOAD_LIMITS))
def test_each_limit_is_settable_and_none_restores_its_default(name):
    keras.config.set_load_limits(**{name: 12345})
    assert keras.config.get_load_limits()[name] == 12345
    keras.config.set_load_limits(**{name: None})
    assert keras.config.get_load_limits() == DEFAULT_LOAD_LIMITS


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_call_in_a_refusal_lets_the_trusted_file_load(tmp_path, name):
    """Lowered, the limit refuses the file; the call quoted in the refusal, run as is
    (repeatedly, as each run doubles the limit), lets the same file load."""
    lowered, make_loader = CASES[name]
    load = make_loader(tmp_path)
    keras.config.set_load_limits(**{name: lowered})
    refusals = 0
    for _ in range(12):
        try:
            load()
            break
        except (ValueError, pickle.UnpicklingError) as refusal:
            refusals += 1
            message = str(refusal)
            call = re.search(r"`(keras\.config\.set_load_limits\((\w+)=(\d+)\))`", message)
            assert call is not None and call.group(2) == name, message
            assert f"limit {name}=" in message, message
            exec(call.group(1), {"keras": keras})
    else:
        pytest.fail(f"still refused after raising {name} 12 times")
    assert refusals >= 1 and keras.config.get_load_limits()[name] > lowered


def test_one_bad_value_changes_no_limit():
    before = keras.config.get_load_limits()
    bad_calls = [
        {"max_json_depth": 500, "max_zip_members": -1},
        {"max_array_bytes": 2**33, "max_pickle_depth": 0},
        {"max_sample_bytes": 2**31, "max_json_bytes": 1.5},
        {"max_archive_bytes": 2**33, "max_archive_members": True},
        {"max_operation_flops": 2**35, "max_assets_bytes": "1GB"},
    ]
    for limits in bad_calls:
        with pytest.raises(ValueError, match="positive int"):
            keras.config.set_load_limits(**limits)
        assert keras.config.get_load_limits() == before
    with pytest.raises(TypeError, match="Valid names: .*max_zip_members"):
        keras.config.set_load_limits(max_json_depth=500, max_everything=1)
    assert keras.config.get_load_limits() == before


def test_security_md_lists_every_limit_with_its_default():
    text = SECURITY_MD.read_text(encoding="utf-8")
    section = text[text.index("## Limits"):]
    section = section[:section.index("\n## ", 1)] if "\n## " in section[1:] else section
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section, flags=re.MULTILINE))
    assert set(rows) == set(LOAD_LIMITS)
    for name, shown in rows.items():
        assert f"{LOAD_LIMITS[name].default:,}" in shown, (name, shown)
    assert "keras.config.set_load_limits(" in section


def test_limits_are_read_at_the_moment_of_the_check(tmp_path):
    """No module keeps a copy: lowering and raising take effect on the next call."""
    path = _saved(tmp_path)
    assert keras.saving.load_model(path).count_params() == 15
    keras.config.set_load_limits(max_array_bytes=16)
    with pytest.raises(ValueError, match="max_array_bytes=16"):
        keras.saving.load_model(path)
    keras.config.set_load_limits(max_array_bytes=None)
    model = keras.saving.load_model(path)
    assert np.isfinite(model.get_weights()[0]).all()

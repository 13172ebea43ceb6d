"""Red team: files that saving and loading touch besides the one they were asked for.

* A symbolic link planted where a model will be saved (``m.keras -> ~/.bashrc``): kerlite
  writes a temporary file and renames it over the *link*, so the file the link points to is
  never written. Keras 3.15 opens the path for writing and overwrites the link's target
  (checked by hand: ``victim.txt`` then starts with ``PK`` / ``\\x89HDF``). kerlite is safer.
* A lookup layer's config naming a vocabulary *file* (``"vocabulary": "/home/me/secret"``):
  loading in safe mode refuses to read it (CVE-2025-12058 in Keras; its StringLookup needs
  TensorFlow, so Keras is not run here).
"""

import json
import os

import numpy as np
import pytest

import kerlite as keras


@pytest.fixture
def planted_link(tmp_path):
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"precious")

    def plant(name):
        link = tmp_path / name
        os.symlink(victim, link)
        return link

    plant.victim = victim
    return plant


def _tiny_model():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])


@pytest.mark.parametrize("name", ["m.keras", "m.weights.h5"])
def test_saving_onto_a_planted_symlink_replaces_the_link_not_its_target(planted_link, name):
    link = planted_link(name)
    model = _tiny_model()
    (model.save if name.endswith(".keras") else model.save_weights)(str(link))
    assert planted_link.victim.read_bytes() == b"precious"
    assert not os.path.islink(link) and os.path.getsize(link) > 100
    reloaded = _tiny_model()
    reloaded.load_weights(str(link))
    np.testing.assert_array_equal(reloaded.get_weights()[0], model.get_weights()[0])


def test_model_checkpoint_onto_a_planted_symlink_leaves_its_target_alone(planted_link):
    link = planted_link("best.keras")
    model = _tiny_model()
    model.compile(optimizer="sgd", loss="mse")
    checkpoint = keras.callbacks.ModelCheckpoint(str(link))
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0, callbacks=[checkpoint])
    assert planted_link.victim.read_bytes() == b"precious"
    assert not os.path.islink(link)


@pytest.mark.parametrize("class_name, lines", [
    ("StringLookup", "root:x:0:0\nsecret\n"),
    ("IntegerLookup", "1\n2\n"),
    ("TextVectorization", "root:x:0:0\nsecret\n"),
])
def test_a_vocabulary_file_named_by_a_config_is_not_read_when_loading(tmp_path, class_name,
                                                                      lines):
    secret = tmp_path / "secret.txt"
    secret.write_text(lines)
    dtype = "int64" if class_name == "IntegerLookup" else "string"
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 1], "dtype": dtype,
                                                "name": "in"}},
        {"class_name": class_name, "config": {"name": "lookup", "vocabulary": str(secret)}},
    ]}}
    with pytest.raises(ValueError, match="vocabulary file") as caught:
        keras.models.model_from_json(json.dumps(config))
    assert str(secret) in str(caught.value) and "safe_mode=False" in str(caught.value)
    with pytest.raises(ValueError, match="vocabulary file"):
        keras.layers.deserialize(config["config"]["layers"][1])

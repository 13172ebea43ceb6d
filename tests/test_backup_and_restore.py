"""keras.callbacks.BackupAndRestore: an interrupted fit resumes where it stopped, with the
optimizer's state, so that it ends on the weights of a run that was never interrupted;
the backup folder is read as untrusted input and only the backup's own files are deleted.
"""

import json

import numpy as np
import pytest

import kerlite as keras
from _keras_reference import import_keras

rng = np.random.default_rng(3)
X = rng.normal(size=(20, 5)).astype("float32")
Y = rng.normal(size=(20, 1)).astype("float32")


def _model(library=keras):
    library.utils.set_random_seed(7)
    inputs = library.Input((5,))
    model = library.Model(inputs, library.layers.Dense(1)(library.layers.Dense(4)(inputs)))
    model.compile(library.optimizers.Adam(0.01), "mse")  # Adam: state to restore
    return model


def _interrupt_at(library, epoch):
    class Interrupt(library.callbacks.Callback):
        def on_epoch_begin(self, current, logs=None):
            if current == epoch:
                raise RuntimeError("Interrupting!")
    return Interrupt()


def _fit(model, callbacks, epochs=10):
    return model.fit(X, Y, epochs=epochs, batch_size=5, shuffle=False, verbose=0,
                     callbacks=callbacks)


def test_an_interrupted_fit_ends_where_an_uninterrupted_one_does(tmp_path):
    uninterrupted = _model()
    _fit(uninterrupted, [])
    model = _model()
    backup = keras.callbacks.BackupAndRestore(tmp_path / "backup")
    with pytest.raises(RuntimeError, match="Interrupting"):
        _fit(model, [backup, _interrupt_at(keras, 4)])
    assert json.loads((tmp_path / "backup" / "training_metadata.json").read_text()) == {
        "epoch": 4, "batch": 0}
    model = _model()  # a new kernel: the same model, freshly made
    history = _fit(model, [backup])
    assert len(history.history["loss"]) == 6  # epochs 5 to 10
    for mine, expected in zip(model.get_weights(), uninterrupted.get_weights()):
        np.testing.assert_allclose(mine, expected, rtol=1e-6)
    np.testing.assert_allclose(model.optimizer.variables[2].numpy(),
                               uninterrupted.optimizer.variables[2].numpy(), rtol=1e-6)
    assert not (tmp_path / "backup").exists()  # deleted once fit ended
    assert len(_fit(model, [], epochs=2).history["loss"]) == 2  # the next fit starts at 0


@pytest.mark.parity
def test_the_documented_example_runs_six_more_epochs_as_in_keras(tmp_path):
    reference = import_keras()
    lengths = []
    for library, folder in ((keras, "ours"), (reference, "theirs")):
        callback = library.callbacks.BackupAndRestore(backup_dir=str(tmp_path / folder))
        model = library.models.Sequential([library.layers.Dense(10)])
        model.compile(library.optimizers.SGD(), loss="mse")
        model.build(input_shape=(None, 20))
        data = np.arange(100, dtype="float32").reshape(5, 20) / 100
        with pytest.raises(RuntimeError):
            model.fit(data, np.zeros(5), epochs=10, batch_size=1, verbose=0,
                      callbacks=[callback, _interrupt_at(library, 4)])
        history = model.fit(data, np.zeros(5), epochs=10, batch_size=1, verbose=0,
                            callbacks=[callback])
        lengths.append(len(history.history["loss"]))
    assert lengths == [6, 6]


def test_a_batch_frequency_backs_up_inside_an_epoch(tmp_path):
    model = _model()
    saved = []

    class Watch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            saved.append((tmp_path / "b" / "latest.weights.h5").exists())

    backup = keras.callbacks.BackupAndRestore(tmp_path / "b", save_freq=3,
                                              delete_checkpoint=False)
    _fit(model, [backup, Watch()], epochs=2)  # 4 batches per epoch
    assert saved == [False, False, True, True, True, True, True, True]
    assert (tmp_path / "b" / "training_metadata.json").exists()


def test_only_the_backup_files_are_deleted(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    _fit(_model(), [keras.callbacks.BackupAndRestore(tmp_path)], epochs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_hostile_or_broken_metadata_file_is_refused(tmp_path):
    folder = tmp_path / "b"
    _fit(_model(), [keras.callbacks.BackupAndRestore(folder, delete_checkpoint=False)],
         epochs=1)
    metadata = folder / "training_metadata.json"
    for text in ('{"epoch": "__import__(\'os\')"}', '[1, 2]', '{"epoch": -1}',
                 '{"epoch": 1, "x": "' + "a" * 5000 + '"}', '{"epoch": 1'):
        metadata.write_text(text)
        model = _model()
        before = [w.copy() for w in model.get_weights()]
        with pytest.raises(ValueError):
            _fit(model, [keras.callbacks.BackupAndRestore(folder)], epochs=1)
        for mine, expected in zip(model.get_weights(), before):  # nothing was loaded
            np.testing.assert_array_equal(mine, expected)


def test_double_checkpoint_restores_the_previous_backup_when_the_latest_is_broken(tmp_path):
    folder = tmp_path / "b"
    backup = keras.callbacks.BackupAndRestore(folder, double_checkpoint=True,
                                              delete_checkpoint=False)
    _fit(_model(), [backup], epochs=3)
    assert (folder / "latest.weights.h5.bkp").exists()
    (folder / "latest.weights.h5").write_bytes(b"not an HDF5 file")
    history = _fit(_model(), [backup], epochs=5)
    assert len(history.history["loss"]) == 3  # the backup before the last: 2 epochs done


def test_the_model_must_be_built_first(tmp_path):
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="must be built"):
        model.fit(X, Y, epochs=1, verbose=0,
                  callbacks=[keras.callbacks.BackupAndRestore(tmp_path)])
    with pytest.raises(ValueError, match="save_freq"):
        keras.callbacks.BackupAndRestore(tmp_path, save_freq="batch")
    with pytest.raises(ValueError, match="backup_dir"):
        keras.callbacks.BackupAndRestore("")

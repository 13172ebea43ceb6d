"""Callbacks: hooks order, History, EarlyStopping, checkpoints, schedules, CSV, progress."""

import csv
import os

import numpy as np
import pytest

import kerlite as keras
from kerlite import callbacks, layers

rng = np.random.default_rng(3)
X = rng.normal(size=(64, 4)).astype("float32")
Y = (X[:, :1] * 2 - X[:, 1:2]).astype("float32")


class SavingModel(keras.Model):
    """A functional model whose save methods record what they wrote."""

    def save(self, filepath, overwrite=True):
        with open(filepath, "w") as handle:
            handle.write(f"model {self.optimizer.iterations.numpy()}")

    def save_weights(self, filepath, overwrite=True):
        with open(filepath, "w") as handle:
            handle.write("weights")


def regression_model(learning_rate=0.05, model_class=None):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    outputs = layers.Dense(1)(inputs)
    model = (model_class or keras.Model)(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse", metrics=["mae"])
    return model


HOOKS = [name for name in vars(callbacks.Callback) if name.startswith("on_")]


class Recorder(callbacks.Callback):
    """Records the name of every hook called (each hook overridden in the class)."""

    def __init__(self):
        super().__init__()
        self.calls = []


for _hook in HOOKS:
    setattr(Recorder, _hook,
            lambda self, *args, _name=_hook, **kwargs: self.calls.append(_name))


def test_hooks_are_called_in_keras_order():
    recorder = Recorder()
    model = regression_model()
    model.fit(X, Y, batch_size=32, epochs=1, verbose=0, validation_data=(X, Y),
              callbacks=[recorder])
    assert recorder.calls == [
        "on_train_begin", "on_epoch_begin", "on_train_batch_begin", "on_train_batch_end",
        "on_train_batch_begin", "on_train_batch_end",
        # the validation pass, on the fit's own callbacks (as in Keras)
        "on_test_begin", "on_test_batch_begin", "on_test_batch_end",
        "on_test_batch_begin", "on_test_batch_end", "on_test_end",
        "on_epoch_end", "on_train_end"]
    recorder.calls.clear()
    model.predict(X, batch_size=64, verbose=0, callbacks=[recorder])
    assert recorder.calls == ["on_predict_begin", "on_predict_batch_begin",
                              "on_predict_batch_end", "on_predict_end"]


def test_history_and_params():
    model = regression_model()
    history = model.fit(X, Y, batch_size=16, epochs=3, verbose=0)
    assert history is model.history
    assert history.epoch == [0, 1, 2] and list(history.history) == ["loss", "mae"]
    assert all(isinstance(v, float) for v in history.history["loss"])
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 4}


def test_early_stopping_patience_and_restore_best_weights():
    model = regression_model(learning_rate=0.0)
    stopper = callbacks.EarlyStopping(monitor="loss", patience=2)
    history = model.fit(X, Y, epochs=10, verbose=0, callbacks=[stopper])
    assert len(history.epoch) == 3 and stopper.stopped_epoch == 2

    model = regression_model(learning_rate=0.05)
    stopper = callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=10.0,
                                      restore_best_weights=True)
    best = [w.copy() for w in model.get_weights()]
    model.fit(X, Y, epochs=5, verbose=0, callbacks=[stopper])
    assert stopper.best_epoch == 0
    assert not np.allclose(model.get_weights()[0], best[0])  # epoch 0 trained already


def test_early_stopping_baseline_and_start_from_epoch():
    model = regression_model(learning_rate=0.0)
    stopper = callbacks.EarlyStopping(monitor="loss", baseline=-1.0, patience=1)
    history = model.fit(X, Y, epochs=6, verbose=0, callbacks=[stopper])
    assert len(history.epoch) == 2  # never beats the baseline
    model = regression_model(learning_rate=0.01)
    stopper = callbacks.EarlyStopping(monitor="loss", patience=0, start_from_epoch=4,
                                      min_delta=100.0)
    history = model.fit(X, Y, epochs=8, verbose=0, callbacks=[stopper])
    assert len(history.epoch) == 6
    with pytest.raises(ValueError, match="mode='max'"):
        model.fit(X, Y, epochs=1, verbose=0,
                  callbacks=[callbacks.EarlyStopping(monitor="banana")])


def test_model_checkpoint_templates_best_only_and_atomic(tmp_path):
    model = regression_model(model_class=SavingModel)
    template = str(tmp_path / "model-{epoch:02d}-{loss:.2f}.keras")
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[callbacks.ModelCheckpoint(template)])
    names = sorted(os.listdir(tmp_path))
    assert len(names) == 2 and names[0].startswith("model-01-")
    assert not any(name.startswith(".tmp-") for name in names)

    best = tmp_path / "best.weights.h5"
    checkpoint = callbacks.ModelCheckpoint(str(best), monitor="loss", save_best_only=True,
                                           save_weights_only=True)
    model.fit(X, Y, epochs=3, verbose=0, callbacks=[checkpoint])
    assert best.read_text() == "weights" and checkpoint.best is not None
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        callbacks.ModelCheckpoint(str(tmp_path / "model.h5"))


def test_lambda_callback_and_learning_rate_scheduler():
    seen = []
    model = regression_model()
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    history = model.fit(X, Y, epochs=3, verbose=0, callbacks=[
        scheduler, callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))])
    assert seen == [0, 1, 2]
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    with pytest.raises(TypeError, match="unknown hook"):
        callbacks.LambdaCallback(on_banana=print)


def test_reduce_lr_on_plateau():
    model = regression_model(learning_rate=0.004)
    # The loss goes down every epoch, so in "max" mode it never improves.
    reducer = callbacks.ReduceLROnPlateau(monitor="loss", mode="max", factor=0.5,
                                          patience=1, min_lr=0.001)
    history = model.fit(X, Y, epochs=4, verbose=0, callbacks=[reducer])
    assert history.history["learning_rate"] == pytest.approx([0.004, 0.004, 0.002, 0.001])
    assert model.optimizer.learning_rate == pytest.approx(0.001)


def test_terminate_on_nan():
    model = regression_model(learning_rate=1e30)
    history = model.fit(X * 1e10, Y, batch_size=8, epochs=5, verbose=0,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.epoch) == 1 and model.stop_training


def test_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    model = regression_model()
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[callbacks.CSVLogger(str(path))])
    model.fit(X, Y, epochs=1, verbose=0,
              callbacks=[callbacks.CSVLogger(str(path), append=True)])
    rows = list(csv.DictReader(open(path)))
    assert [row["epoch"] for row in rows] == ["0", "1", "0"]
    assert set(rows[0]) == {"epoch", "loss", "mae"}


def test_progress_lines(capsys):
    model = regression_model()
    model.fit(X, Y, batch_size=32, epochs=2, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2"
    assert lines[1].startswith("2/2 ━━━━━━━━━━━━━━━━━━━━ ")
    assert "/step - loss: " in lines[1] and " - mae: " in lines[1]
    model.fit(X, Y, batch_size=32, epochs=1, verbose=2)
    line = capsys.readouterr().out.strip()
    assert line.startswith("2/2 - ") and "/step - loss:" in line
    model.fit(X, Y, epochs=1, verbose=0)
    model.evaluate(X, Y, verbose=0)
    assert capsys.readouterr().out == ""
    model.evaluate(X, Y, verbose=1)
    assert capsys.readouterr().out.startswith("2/2 ━")


def test_callbacks_must_be_callbacks():
    model = regression_model()
    with pytest.raises(TypeError, match="keras.callbacks.Callback"):
        model.fit(X, Y, verbose=0, callbacks=[print])


def test_auto_mode_knows_which_way_the_newer_metrics_improve():
    from kerlite.callbacks.monitor_callback import resolve_mode

    for name in ("val_mean_io_u", "fbeta_score", "f1_score", "pearson_correlation",
                 "sensitivity_at_specificity", "specificity_at_sensitivity", "r2_score"):
        assert resolve_mode(name, "auto", "EarlyStopping") == "max", name
    assert resolve_mode("val_loss", "auto", "EarlyStopping") == "min"


def test_progress_line_shows_a_per_class_metric_as_its_mean():
    from kerlite.callbacks.progbar import format_value

    assert format_value([0.5, 1.0]) == "0.7500"
    assert format_value(0.25) == "0.2500"

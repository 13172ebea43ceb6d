"""keras-io guide "Writing your own callbacks" (Rick Chao, Francois Chollet), Keras 3
version, run on kerlite and on Keras 3 in the same test.

Each section's code is the guide's, unchanged apart from two things: ``keras`` is the
library under test (kerlite or Keras), and the data are synthetic instead of MNIST.
The images are all zeros and every label is a 5: the guide's model starts from random
weights and ``fit`` shuffles, and the two libraries draw different random numbers; with
zero images only the bias learns (from zero in both), and with one label every batch is
alike, so both libraries print the same numbers and the whole printed output (hook by
hook, loss by loss) can be compared line for line.
"""

import contextlib
import io
import re

import numpy as np
import pytest

import kerlite
from tests._keras_reference import import_keras

pytestmark = pytest.mark.parity


def guide_data():
    """Stand-ins for the guide's 1000 MNIST samples (x: 784 features, y: a digit)."""
    x_train = np.zeros((1000, 784), "float32")
    x_test = np.zeros((1000, 784), "float32")
    y_train = np.full((1000,), 5, "uint8")
    y_test = np.full((1000,), 5, "uint8")
    return x_train, y_train, x_test, y_test


# --- the guide's code (keras = the library under test) ------------------------------------

def guide_definitions(keras):
    """The guide's model and callback classes, defined against ``keras``."""

    # Define the Keras model to add callbacks to
    def get_model():
        model = keras.Sequential()
        model.add(keras.layers.Dense(1))
        model.compile(
            optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
            loss="mean_squared_error",
            metrics=["mean_absolute_error"],
        )
        return model

    class CustomCallback(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            keys = list(logs.keys())
            print("Starting training; got log keys: {}".format(keys))

        def on_train_end(self, logs=None):
            keys = list(logs.keys())
            print("Stop training; got log keys: {}".format(keys))

        def on_epoch_begin(self, epoch, logs=None):
            keys = list(logs.keys())
            print("Start epoch {} of training; got log keys: {}".format(epoch, keys))

        def on_epoch_end(self, epoch, logs=None):
            keys = list(logs.keys())
            print("End epoch {} of training; got log keys: {}".format(epoch, keys))

        def on_test_begin(self, logs=None):
            keys = list(logs.keys())
            print("Start testing; got log keys: {}".format(keys))

        def on_test_end(self, logs=None):
            keys = list(logs.keys())
            print("Stop testing; got log keys: {}".format(keys))

        def on_predict_begin(self, logs=None):
            keys = list(logs.keys())
            print("Start predicting; got log keys: {}".format(keys))

        def on_predict_end(self, logs=None):
            keys = list(logs.keys())
            print("Stop predicting; got log keys: {}".format(keys))

        def on_train_batch_begin(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Training: start of batch {}; got log keys: {}".format(batch, keys))

        def on_train_batch_end(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Training: end of batch {}; got log keys: {}".format(batch, keys))

        def on_test_batch_begin(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Evaluating: start of batch {}; got log keys: {}".format(batch, keys))

        def on_test_batch_end(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Evaluating: end of batch {}; got log keys: {}".format(batch, keys))

        def on_predict_batch_begin(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Predicting: start of batch {}; got log keys: {}".format(batch, keys))

        def on_predict_batch_end(self, batch, logs=None):
            keys = list(logs.keys())
            print("...Predicting: end of batch {}; got log keys: {}".format(batch, keys))

    class LossAndErrorPrintingCallback(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            print(
                "Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"])
            )

        def on_test_batch_end(self, batch, logs=None):
            print(
                "Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"])
            )

        def on_epoch_end(self, epoch, logs=None):
            print(
                "The average loss for epoch {} is {:7.2f} "
                "and mean absolute error is {:7.2f}.".format(
                    epoch, logs["loss"], logs["mean_absolute_error"]
                )
            )

    class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
        """Stop training when the loss is at its min, i.e. the loss stops decreasing.

        Arguments:
            patience: Number of epochs to wait after min has been hit. After this
            number of no improvement, training stops.
        """

        def __init__(self, patience=0):
            super().__init__()
            self.patience = patience
            # best_weights to store the weights at which the minimum loss occurs.
            self.best_weights = None

        def on_train_begin(self, logs=None):
            # The number of epoch it has waited when loss is no longer minimum.
            self.wait = 0
            # The epoch the training stops at.
            self.stopped_epoch = 0
            # Initialize the best as infinity.
            self.best = np.inf

        def on_epoch_end(self, epoch, logs=None):
            current = logs.get("loss")
            if np.less(current, self.best):
                self.best = current
                self.wait = 0
                # Record the best weights if current results is better (less).
                self.best_weights = self.model.get_weights()
            else:
                self.wait += 1
                if self.wait >= self.patience:
                    self.stopped_epoch = epoch
                    self.model.stop_training = True
                    print("Restoring model weights from the end of the best epoch.")
                    self.model.set_weights(self.best_weights)

        def on_train_end(self, logs=None):
            if self.stopped_epoch > 0:
                print(f"Epoch {self.stopped_epoch + 1}: early stopping")

    class CustomLearningRateScheduler(keras.callbacks.Callback):
        """Learning rate scheduler which sets the learning rate according to schedule.

        Arguments:
            schedule: a function that takes an epoch index
                (integer, indexed from 0) and current learning rate
                as inputs and returns a new learning rate as output (float).
        """

        def __init__(self, schedule):
            super().__init__()
            self.schedule = schedule

        def on_epoch_begin(self, epoch, logs=None):
            if not hasattr(self.model.optimizer, "learning_rate"):
                raise ValueError('Optimizer must have a "learning_rate" attribute.')
            # Get the current learning rate from model's optimizer.
            lr = self.model.optimizer.learning_rate
            # Call schedule function to get the scheduled learning rate.
            scheduled_lr = self.schedule(epoch, lr)
            # Set the value back to the optimizer before this epoch starts
            self.model.optimizer.learning_rate = scheduled_lr
            print(f"\nEpoch {epoch}: Learning rate is {float(np.array(scheduled_lr))}.")

    return dict(get_model=get_model, CustomCallback=CustomCallback,
                LossAndErrorPrintingCallback=LossAndErrorPrintingCallback,
                EarlyStoppingAtMinLoss=EarlyStoppingAtMinLoss,
                CustomLearningRateScheduler=CustomLearningRateScheduler)


def section_basic_example(keras):
    """"A basic example": CustomCallback prints every hook of fit/evaluate/predict."""
    g = guide_definitions(keras)
    get_model, CustomCallback = g["get_model"], g["CustomCallback"]
    x_train, y_train, x_test, y_test = guide_data()

    model = get_model()
    model.fit(
        x_train,
        y_train,
        batch_size=128,
        epochs=1,
        verbose=0,
        validation_split=0.5,
        callbacks=[CustomCallback()],
    )

    res = model.evaluate(
        x_test, y_test, batch_size=128, verbose=0, callbacks=[CustomCallback()]
    )

    res = model.predict(x_test, batch_size=128, callbacks=[CustomCallback()])
    return res


def section_usage_of_logs(keras):
    """"Usage of logs dict": LossAndErrorPrintingCallback."""
    g = guide_definitions(keras)
    get_model, LossAndErrorPrintingCallback = g["get_model"], g["LossAndErrorPrintingCallback"]
    x_train, y_train, x_test, y_test = guide_data()

    model = get_model()
    model.fit(
        x_train,
        y_train,
        batch_size=128,
        epochs=2,
        verbose=0,
        callbacks=[LossAndErrorPrintingCallback()],
    )

    res = model.evaluate(
        x_test,
        y_test,
        batch_size=128,
        verbose=0,
        callbacks=[LossAndErrorPrintingCallback()],
    )
    return res


def section_early_stopping(keras):
    """"Early stopping at minimum loss": EarlyStoppingAtMinLoss."""
    g = guide_definitions(keras)
    get_model = g["get_model"]
    LossAndErrorPrintingCallback = g["LossAndErrorPrintingCallback"]
    EarlyStoppingAtMinLoss = g["EarlyStoppingAtMinLoss"]
    x_train, y_train, x_test, y_test = guide_data()

    model = get_model()
    history = model.fit(
        x_train,
        y_train,
        batch_size=64,
        epochs=30,
        verbose=0,
        callbacks=[LossAndErrorPrintingCallback(), EarlyStoppingAtMinLoss()],
    )
    return history.epoch


def section_learning_rate_scheduling(keras):
    """"Learning rate scheduling": CustomLearningRateScheduler."""
    g = guide_definitions(keras)
    get_model = g["get_model"]
    LossAndErrorPrintingCallback = g["LossAndErrorPrintingCallback"]
    CustomLearningRateScheduler = g["CustomLearningRateScheduler"]
    x_train, y_train, x_test, y_test = guide_data()

    LR_SCHEDULE = [
        # (epoch to start, learning rate) tuples
        (3, 0.05),
        (6, 0.01),
        (9, 0.005),
        (12, 0.001),
    ]

    def lr_schedule(epoch, lr):
        """Helper function to retrieve the scheduled learning rate based on epoch."""
        if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
            return lr
        for i in range(len(LR_SCHEDULE)):
            if epoch == LR_SCHEDULE[i][0]:
                return LR_SCHEDULE[i][1]
        return lr

    model = get_model()
    model.fit(
        x_train,
        y_train,
        batch_size=64,
        epochs=15,
        verbose=0,
        callbacks=[
            LossAndErrorPrintingCallback(),
            CustomLearningRateScheduler(lr_schedule),
        ],
    )
    return float(np.array(model.optimizer.learning_rate))


# --- running a section on both libraries --------------------------------------------------

ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
PROGRESS_BAR = re.compile(r"\s*\d+/\d+ ━+[^\n]*?/step\s*")


def printed_lines(section, keras):
    """What ``section`` prints (without predict's progress bar), and what it returns."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = section(keras)
    text = ANSI_STYLE.sub("", buffer.getvalue()).replace("\r", "\n").replace("\b", "")
    text = PROGRESS_BAR.sub("\n", text)
    return [line.rstrip() for line in text.splitlines() if line.strip()], result


def compare(section):
    keras = import_keras()
    expected, expected_result = printed_lines(section, keras)
    got, result = printed_lines(section, kerlite)
    assert got == expected
    return got, result, expected_result


def test_basic_example_prints_every_hook_like_keras():
    lines, predictions, keras_predictions = compare(section_basic_example)
    # fit: 4 training batches, then the validation pass on the same callback
    assert lines[:2] == ["Starting training; got log keys: []",
                         "Start epoch 0 of training; got log keys: []"]
    assert "...Training: end of batch 3; got log keys: ['loss', 'mean_absolute_error']" in lines
    assert ("End epoch 0 of training; got log keys: ['loss', 'mean_absolute_error', "
            "'val_loss', 'val_mean_absolute_error']") in lines
    assert "...Predicting: end of batch 7; got log keys: ['outputs']" in lines
    assert lines[-1] == "Stop predicting; got log keys: []"
    np.testing.assert_allclose(predictions, keras_predictions, rtol=1e-5)


def test_logs_dict_section_prints_the_same_losses():
    lines, result, keras_result = compare(section_usage_of_logs)
    assert len([line for line in lines if line.startswith("The average loss")]) == 2
    np.testing.assert_allclose(result, keras_result, rtol=1e-5)


def test_early_stopping_at_min_loss_stops_at_the_same_epoch():
    lines, epochs, keras_epochs = compare(section_early_stopping)
    assert epochs == keras_epochs
    assert lines[-2:] == ["Restoring model weights from the end of the best epoch.",
                          f"Epoch {epochs[-1] + 1}: early stopping"]


def test_custom_learning_rate_scheduler_sets_the_same_rates():
    lines, learning_rate, keras_learning_rate = compare(section_learning_rate_scheduling)
    rates = [line for line in lines if "Learning rate is" in line]
    assert len(rates) == 15 and rates[3] == "Epoch 3: Learning rate is 0.05."
    assert learning_rate == pytest.approx(keras_learning_rate) == pytest.approx(0.001)

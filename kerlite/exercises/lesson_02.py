"""Checks for lesson 02 (training): one-hot targets, EarlyStopping, class weights."""

import numpy as np

import kerlite as keras
from kerlite.exercises.answers import expect
from kerlite.exercises.model_facts import output_shape, require_model
from kerlite.exercises.registry import exercise


@exercise("02.one_hot")
def one_hot(y_onehot, model, labels, test):
    """one-hot targets ``y_onehot`` of ``labels``, and a trained 784-64-64-10 softmax ``model``
    compiled with categorical cross-entropy (``test`` = (images, integer labels) to measure it)."""
    y_onehot = np.asarray(y_onehot)
    expect(y_onehot.shape == (len(labels), 10),
           f"the targets have shape {y_onehot.shape}: one row of 10 numbers per label")
    expect(np.array_equal(y_onehot.argmax(axis=1), labels) and np.allclose(y_onehot.sum(axis=1), 1),
           "each row holds a single 1, in the column of its label: keras.utils.to_categorical")
    require_model(model, "the one-hot keras.Model")
    expect(output_shape(model) == (None, 10), "the model ends with 10 class probabilities")
    expect(model.count_params() == 784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10,
           f"{model.count_params():,} parameters: the network is 784 → 64 → 64 → 10")
    expect(getattr(model, "optimizer", None) is not None, "compile the model before fit")
    x_test, y_test = test
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    expect(np.allclose(probabilities.sum(axis=1), 1, atol=1e-4),
           "categorical_crossentropy expects probabilities: end with a softmax")
    accuracy = float(np.mean(probabilities.argmax(axis=1) == np.asarray(y_test)))
    expect(accuracy > 0.8, f"test accuracy {accuracy:.0%}: has the model been trained (fit) on "
                           f"the one-hot targets for a few epochs?")
    return "one-hot rows in, softmax probabilities out: above 80% on the test digits"


@exercise("02.early_stopping")
def early_stopping(model, stopper, history, validation):
    """A model trained with ``stopper`` (EarlyStopping on val_loss, patience 3, best weights
    restored); ``history`` from that fit; ``validation`` = the (x, y) of validation_split=0.2."""
    require_model(model, "the trained keras.Model")
    expect(isinstance(stopper, keras.callbacks.EarlyStopping),
           "stopper should be a keras.callbacks.EarlyStopping")
    expect(stopper.monitor == "val_loss", "watch the validation loss: monitor=\"val_loss\"")
    expect(isinstance(history, keras.callbacks.History) and "val_loss" in history.history,
           "es_history is what fit returns, and fit needs validation data (validation_split)")
    losses = history.history["val_loss"]
    expect(stopper.stopped_epoch > 0 and len(losses) < 100,
           f"the run lasted {len(losses)} epochs: pass the stopper to fit in callbacks=[...]")
    waited = len(losses) - 1 - int(np.argmin(losses))
    expect(waited == stopper.patience == 3,
           f"the run went on {waited} epochs after its best one: patience is how long it waits")
    x_val, y_val = validation
    restored = model.evaluate(x_val, y_val, verbose=0)
    restored = restored[0] if isinstance(restored, (list, tuple)) else restored
    expect(abs(restored - min(losses)) < 1e-3,
           "the model keeps the weights of its last epoch, not its best one: ask EarlyStopping "
           "to restore the best weights")
    return "it stopped 3 epochs after the best one, long before 100, and the best weights are back"


@exercise("02.class_weight")
def class_weight(weights, labels):
    """A class_weight dict under which both classes of ``labels`` weigh the same in total."""
    expect(isinstance(weights, dict), "class_weight is a dict: {class: weight, ...}")
    labels = np.asarray(labels)
    classes = sorted(int(c) for c in np.unique(labels))
    expect(sorted(weights) == classes, f"give a weight for each class: {classes}")
    totals = {c: float(weights[c]) * int(np.sum(labels == c)) for c in classes}
    expect(all(total > 0 for total in totals.values()), "weights must be positive")
    largest, smallest = max(totals.values()), min(totals.values())
    expect(largest <= 1.1 * smallest,
           "with these weights the classes do not count the same in total: a class with k "
           "times fewer samples needs a k times larger weight")
    ratio = float(weights[classes[-1]]) / float(weights[classes[0]])
    return f"each class now weighs the same in the loss (a rare sample counts {ratio:.0f}× as much)"

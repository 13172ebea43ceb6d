"""The exercise checks of lessons 07-11: a right answer passes, a typical wrong one fails with the
hint that points at its mistake, and the lesson's unfilled template is "not answered yet"."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import layers, ops
from kerlite.autodiff import record
from kerlite.exercises import check

NOT_ANSWERED = "not answered yet: replace the ... and run this cell"


def _passes(name, *answers, **context):
    result = check(name, *answers, **context)
    assert result.passed, result
    return result


def _fails_with(hint, name, *answers, **context):
    result = check(name, *answers, **context)
    assert result.answered and not result.passed, result
    assert hint in result.message, result
    return result


def _not_answered(name, *answers, **context):
    result = check(name, *answers, **context)
    assert not result.answered and result.message == NOT_ANSWERED, result


# --- 07 -------------------------------------------------------------------------------------

def _pair_model(shared=True):
    first = keras.Input(shape=(10, 8), name="first")
    second = keras.Input(shape=(10, 8), name="second")
    lstm = layers.LSTM(16)
    other = lstm if shared else layers.LSTM(16)
    joined = layers.concatenate([lstm(first), other(second)])
    return keras.Model([first, second], layers.Dense(1, activation="sigmoid")(joined)), lstm


def test_07_shared_lstm():
    _passes("07.shared_lstm", *_pair_model())
    _fails_with("more than one LSTM", "07.shared_lstm", *_pair_model(shared=False))
    _not_answered("07.shared_lstm", ..., ...)


def _small_encoder():
    images = keras.Input(shape=(12, 12, 1))
    x = layers.Conv2D(4, 3, activation="relu")(images)
    x = layers.Conv2D(6, 3, activation="relu")(x)
    return keras.Model(images, layers.GlobalMaxPooling2D()(x))


def test_07_conv_features():
    encoder = _small_encoder()
    convolutions = [layer.output for layer in encoder.layers if isinstance(layer, layers.Conv2D)]
    _passes("07.conv_features", keras.Model(encoder.input, convolutions), encoder)
    _fails_with("one output per convolution", "07.conv_features",
                keras.Model(encoder.input, convolutions[-1]), encoder)
    _not_answered("07.conv_features", ..., encoder)


def test_07_second_node_shape():
    _passes("07.second_node_shape", (None, 18, 18, 8))
    _fails_with("each node keeps the shapes of its own call", "07.second_node_shape",
                (None, 30, 30, 8))
    _fails_with("batch size", "07.second_node_shape", (1, 18, 18, 8))
    _not_answered("07.second_node_shape", ...)


# --- 08 -------------------------------------------------------------------------------------

def _residual_class(keep_activation_in_config=True, add_input=True):
    class Residual(layers.Layer):
        def __init__(self, activation=None, **kwargs):
            super().__init__(**kwargs)
            self.activation = activation

        def build(self, input_shape):
            self.dense = layers.Dense(input_shape[-1], activation=self.activation)

        def call(self, inputs):
            return inputs + self.dense(inputs) if add_input else self.dense(inputs)

        def get_config(self):
            config = super().get_config()
            if keep_activation_in_config:
                config.update({"activation": self.activation})
            return config

    return Residual


def test_08_residual():
    _passes("08.residual", _residual_class())
    _fails_with("return the activation too", "08.residual",
                _residual_class(keep_activation_in_config=False))
    _fails_with("give back its input", "08.residual", _residual_class(add_input=False))

    class Template(layers.Layer):                  # the lesson's unfilled cell
        def __init__(self, activation=None, **kwargs):
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.dense = ...

        def call(self, inputs):
            return ...

    _not_answered("08.residual", Template)


def test_08_line_fit():
    layer = layers.Dense(1)
    x = np.linspace(-1, 1, 50, dtype="float32")[:, None]
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    losses = []
    for _ in range(200):
        with keras.GradientTape() as tape:
            loss = ops.mean((layer(x) - (3 * x + 2)) ** 2)
        grads = tape.gradient(loss, layer.trainable_weights)
        optimizer.apply_gradients(zip(grads, layer.trainable_weights))
        losses.append(float(loss))
    _passes("08.line_fit", layer, losses)
    untrained = layers.Dense(1)
    untrained(x)
    _fails_with("not close to 3x + 2", "08.line_fit", untrained, [1.0] + [0.5] * 199)
    _not_answered("08.line_fit", layers.Dense(1), [...] * 200)


def test_08_block_params():
    _passes("08.block_params", 10 * 32 + 32 + 32 * 32 + 32 + 33)
    _fails_with("the count on 64 features", "08.block_params", 3169)
    _fails_with("whole number", "08.block_params", "1441")


# --- 09 -------------------------------------------------------------------------------------

def _mnist_mlp():
    images = keras.Input(shape=(28, 28))
    x = layers.Dense(100, activation="relu")(layers.Dense(300, activation="relu")(
        layers.Flatten()(images)))
    return keras.Model(images, layers.Dense(10, activation="softmax")(x))


class _MLPSubclassed(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden_1 = layers.Dense(300, activation="relu")
        self.hidden_2 = layers.Dense(100, activation="relu")
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        return self.classifier(self.hidden_2(self.hidden_1(self.flatten(inputs))))


def test_09_three_styles():
    reference = _mnist_mlp()
    _passes("09.three_styles", _mnist_mlp(), _MLPSubclassed(), reference=reference)
    _fails_with("instance of your own class", "09.three_styles", _mnist_mlp(), _mnist_mlp(),
                reference=reference)
    _not_answered("09.three_styles", ..., _MLPSubclassed(), reference=reference)


class _WideAndDeep(keras.Model):
    def __init__(self, units=30, **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = layers.Dense(units, activation="relu")
        self.hidden2 = layers.Dense(units, activation="relu")
        self.main_output = layers.Dense(1)
        self.aux_output = layers.Dense(1)

    def call(self, inputs):
        input_a, input_b = inputs
        hidden2 = self.hidden2(self.hidden1(input_b))
        return (self.main_output(layers.concatenate([input_a, hidden2])),
                self.aux_output(hidden2))


def _functional_wide_deep(hidden1_reads_wide=False):
    input_a, input_b = keras.Input(shape=(5,)), keras.Input(shape=(6,))
    hidden1 = layers.Dense(30, activation="relu")(input_a if hidden1_reads_wide else input_b)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    main = layers.Dense(1)(layers.concatenate([input_a, hidden2]))
    return keras.Model([input_a, input_b], [main, layers.Dense(1)(hidden2)])


def test_09_wide_deep_functional():
    subclassed = _WideAndDeep()
    subclassed((np.zeros((2, 5), "float32"), np.zeros((2, 6), "float32")))
    _passes("09.wide_deep_functional", _functional_wide_deep(), subclassed)
    _fails_with("parameters", "09.wide_deep_functional",
                _functional_wide_deep(hidden1_reads_wide=True), subclassed)
    _not_answered("09.wide_deep_functional", ..., subclassed)


def test_09_two_heads():
    model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(32, activation="relu"),
                              layers.Dense(32, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    _passes("09.two_heads", keras.Model(model.inputs, [model.output, model.layers[1].output]), model)
    _fails_with("output(s)", "09.two_heads", keras.Model(model.inputs, model.output), model)


# --- 10 -------------------------------------------------------------------------------------

def _offset_class(register):
    class Offset(layers.Layer):
        def __init__(self, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

        def build(self, input_shape):
            self.offset = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                          name="offset")

        def call(self, inputs):
            return (inputs + self.offset) * self.scale

        def get_config(self):
            config = super().get_config()
            config.update({"scale": self.scale})
            return config

    if register:
        return keras.saving.register_keras_serializable(package="test_exercises")(Offset)
    return Offset


def test_10_offset_layer():
    _passes("10.offset_layer", _offset_class(register=True))
    _fails_with("not registered", "10.offset_layer", _offset_class(register=False))


def test_10_optimizer_params():
    _passes("10.optimizer_params", 2 * 2410 + 2)
    _fails_with("RMSprop's count", "10.optimizer_params", 2412)
    _not_answered("10.optimizer_params", ...)


def test_10_transfer():
    def make():
        inputs = keras.Input(shape=(64,))
        return keras.Model(inputs, layers.Dense(10)(inputs))

    teacher, images = make(), np.random.default_rng(0).random((5, 64)).astype("float32")
    student = make()
    student.set_weights(teacher.get_weights())
    _passes("10.transfer", student, teacher, images=images)
    _fails_with("predicts something else", "10.transfer", make(), teacher, images=images)


# --- 11 -------------------------------------------------------------------------------------

def _cube(gradient_factor=3):
    def cube(t):
        t = ops.convert_to_tensor(t)
        xp = keras.backend.get_array_module(t.data)

        def backward(g):
            return (g * gradient_factor * xp.square(t.data),)

        return record(xp.power(t.data, 3), (t,), backward)

    return cube


def test_11_cube():
    _passes("11.cube", _cube())
    _fails_with("the gradient is wrong", "11.cube", _cube(gradient_factor=2))
    _not_answered("11.cube", lambda t: ...)


def test_11_weight_norms():
    def norms(model):
        return {v.path: float(np.sqrt(np.sum(np.square(ops.convert_to_numpy(v)))))
                for v in model.weights}

    def sums(model):
        return {v.path: float(np.sum(ops.convert_to_numpy(v))) for v in model.weights}

    _passes("11.weight_norms", norms)
    _fails_with("not the L2 norms", "11.weight_norms", sums)
    _not_answered("11.weight_norms", lambda model: ...)


def test_three_styles_refuses_a_functional_model_given_as_the_subclassed_one():
    """A keras.Model subclass that only passes inputs and outputs on is a graph, not a
    subclassed model: 09.three_styles must say so (it once compared class names)."""
    import kerlite as keras
    from kerlite import layers
    from kerlite.exercises import check

    class PassesGraphOn(keras.Model):
        pass

    def mlp(wrapper):
        inputs = keras.Input((28, 28))
        x = layers.Flatten()(inputs)
        x = layers.Dense(64, activation="relu")(x)
        return wrapper(inputs, layers.Dense(10, activation="softmax")(x))

    functional = mlp(keras.Model)
    result = check("09.three_styles", functional, mlp(PassesGraphOn), functional)
    assert not result.passed

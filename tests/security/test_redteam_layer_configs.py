"""Red team: a model config whose layers multiply sizes until one sample needs gigabytes.

``RepeatVector(n=2**31)``, ``UpSampling2D(size=(16384, 16384))``, ``ZeroPadding1D(2**32)``,
``Resizing(65536, 65536)``, ``CategoryEncoding(num_tokens=2**34)``, ``Conv2DTranspose(strides=
2**15)``: each is a few bytes of JSON. Before, the model loaded (its shapes are symbolic) and
the first ``predict`` on one small sample asked NumPy for 4-64 GiB, which kills a notebook
kernel. Now building the model refuses it (``kerlite/layers/sample_size_limit.py``).

Keras 3.15 loads all six and fails in ``predict``: an XLA allocation error, or for
CategoryEncoding an abort of the whole process (checked by hand under a 4 GiB RLIMIT_AS).
kerlite is stricter: the model never loads.

The attacks run in a subprocess with a memory limit, so that the test suite survives if the
fix is ever reverted.
"""

import json

import numpy as np
import pytest

from _redteam_limits import run_limited

import kerlite as keras

HOSTILE = {
    "RepeatVector": ({"n": 2**31}, (None, 4), "n="),
    "UpSampling2D": ({"size": [16384, 16384]}, (None, 2, 2, 1), "size="),
    "ZeroPadding1D": ({"padding": 2**32}, (None, 2, 1), "padding="),
    "Resizing": ({"height": 65536, "width": 65536}, (None, 4, 4, 1), "height="),
    "CategoryEncoding": ({"num_tokens": 2**34, "output_mode": "one_hot"}, (None, 1),
                         "num_tokens="),
    "Conv2DTranspose": ({"filters": 1, "kernel_size": 1, "strides": 2**15}, (None, 4, 4, 1),
                        "strides="),
}


def _model_json(class_name, arguments, batch_shape):
    return json.dumps({"class_name": "Sequential", "config": {"name": "victim", "layers": [
        {"class_name": "InputLayer", "module": "keras.layers",
         "config": {"batch_shape": list(batch_shape), "dtype": "float32", "name": "in"}},
        {"class_name": class_name, "module": "keras.layers",
         "config": dict(arguments, name="amplifier")},
    ]}, "module": "keras"})


def test_size_multiplying_layers_are_refused_before_predict_can_exhaust_memory():
    cases = {name: (_model_json(name, args, shape), shape) for name, (args, shape, _) in
             HOSTILE.items()}
    code = f"""
    import json
    import numpy as np
    import kerlite as keras
    outcomes = {{}}
    for name, (text, shape) in json.loads({json.dumps(json.dumps(cases))}).items():
        try:
            model = keras.models.model_from_json(text)
            sample = np.ones([1] + [n or 1 for n in shape[1:]], "float32")
            outcomes[name] = "PREDICTED " + str(model.predict(sample, verbose=0).nbytes)
        except Exception as error:
            outcomes[name] = type(error).__name__ + ": " + str(error)
    print(json.dumps(outcomes))
    """
    code_rc, last = run_limited(code, memory_bytes=3 * 2**30, timeout=120)
    outcomes = json.loads(last)
    for name, (_, _, argument) in HOSTILE.items():
        outcome = outcomes[name]
        assert outcome.startswith("ValueError"), (name, outcome)
        assert f'"amplifier" ({name}) with {argument}' in outcome, outcome
        assert "keras.config.set_load_limits(max_sample_bytes=" in outcome, outcome


def test_a_hostile_layer_called_eagerly_is_refused_too():
    """A layer deserialized alone and called on an array never goes through a symbolic call;
    its ``call`` checks the output size first."""
    cases = {name: (dict(args, name="amplifier"), shape) for name, (args, shape, _) in
             HOSTILE.items()}
    code = f"""
    import json
    import numpy as np
    import kerlite as keras
    outcomes = {{}}
    for name, (config, shape) in json.loads({json.dumps(json.dumps(cases))}).items():
        try:
            layer = keras.layers.deserialize({{"class_name": name, "config": config}})
            sample = np.ones([1] + [n or 1 for n in shape[1:]], "float32")
            outcomes[name] = "CALLED " + str(np.asarray(layer(sample)).nbytes)
        except Exception as error:
            outcomes[name] = type(error).__name__ + ": " + str(error)
    print(json.dumps(outcomes))
    """
    code_rc, last = run_limited(code, memory_bytes=3 * 2**30, timeout=120)
    outcomes = json.loads(last)
    for name in HOSTILE:
        assert outcomes[name].startswith("ValueError") and "max_sample_bytes" in outcomes[name], (
            name, outcomes[name])


def test_the_limit_can_be_raised_for_a_model_you_trust():
    layer_input = keras.Input(shape=(4,))
    with pytest.raises(ValueError, match="max_sample_bytes"):
        keras.layers.RepeatVector(2**28)(layer_input)
    keras.config.set_load_limits(max_sample_bytes=2**33)
    assert keras.layers.RepeatVector(2**28)(layer_input).shape == (None, 2**28, 4)


def test_ordinary_sizes_are_untouched():
    inputs = keras.Input(shape=(8, 8, 3))
    x = keras.layers.UpSampling2D(4)(inputs)
    x = keras.layers.ZeroPadding2D(2)(x)
    x = keras.layers.Resizing(64, 64)(x)
    x = keras.layers.Conv2DTranspose(2, 3, strides=2)(x)
    model = keras.Model(inputs, x)
    assert model.predict(np.ones((1, 8, 8, 3), "float32"), verbose=0).shape == (1, 129, 129, 2)
    encoded = keras.layers.CategoryEncoding(num_tokens=10, output_mode="one_hot")(
        keras.Input(shape=(1,)))
    assert encoded.shape == (None, 10)


def test_text_vectorization_config_cannot_exhaust_memory_or_time():
    """``ngrams=2**30`` used to build a tuple of a billion widths (MemoryError or a swapping
    machine); ``output_sequence_length=2**33`` padded each text to 64 GiB. Now the first costs
    nothing (no ngram is wider than its text) and the second is refused."""
    code = """
    import json, time
    import numpy as np
    import kerlite as keras
    outcomes = {}
    for name, extra in {"ngrams": {"ngrams": 2**30},
                        "length": {"output_sequence_length": 2**33}}.items():
        start = time.perf_counter()
        try:
            layer = keras.layers.deserialize({"class_name": "TextVectorization", "config": dict(
                name="tv", vocabulary=["a", "b"], **extra)})
            outcomes[name] = "OK " + str(layer(np.array(["a b"])).shape)
        except Exception as error:
            outcomes[name] = type(error).__name__ + ": " + str(error)
        outcomes[name + "_seconds"] = time.perf_counter() - start
    print(json.dumps(outcomes))
    """
    code_rc, last = run_limited(code, memory_bytes=3 * 2**30, timeout=120)
    outcomes = json.loads(last)
    assert outcomes["ngrams"] == "OK (1, 3)" and outcomes["ngrams_seconds"] < 5, outcomes
    assert outcomes["length"].startswith("ValueError"), outcomes
    assert "output_sequence_length=8589934592" in outcomes["length"], outcomes


@pytest.mark.parametrize("setting", [{"split": "(a+)+$"}, {"standardize": "(a|aa)*b"}])
def test_text_vectorization_takes_no_regular_expression_from_a_config(setting):
    """No ReDoS: split and standardize are fixed choices (or a registered callable), never a
    pattern. Keras 3.15's TextVectorization needs TensorFlow and is not compared here."""
    with pytest.raises(ValueError, match="must be None, a callable or one of"):
        keras.layers.deserialize({"class_name": "TextVectorization",
                                  "config": dict(name="tv", **setting)})


def _one_layer_model(layer_config, input_dtype="float32"):
    return json.dumps({"class_name": "Sequential", "module": "keras", "config": {
        "name": "s", "layers": [
            {"class_name": "InputLayer", "module": "keras.layers",
             "config": {"batch_shape": [None, 1], "dtype": input_dtype, "name": "in"}},
            dict(layer_config, module="keras.layers")]}})


HOSTILE_IDENTITIES = {
    "object weights": ({"class_name": "Dense", "config": {"name": "d", "units": 1,
                                                          "dtype": "object"}}, "float32",
                       "dtype='object'"),
    "object input": ({"class_name": "Dense", "config": {"name": "d", "units": 1}}, "object",
                     "dtype='object'"),
    "void dtype": ({"class_name": "Dense", "config": {"name": "d", "units": 1,
                                                      "dtype": "V1048576"}}, "float32",
                   "dtype='V1048576'"),
    "path-like name": ({"class_name": "Dense", "config": {"name": "../../pwn", "units": 1}},
                       "float32", "without '/'"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_IDENTITIES))
def test_layer_dtype_and_name_from_a_config_must_be_ones_keras_accepts(case):
    """Before: a Dense of Python objects (weights and outputs ``dtype=object``), 1 MiB "void"
    numbers, and a layer named like a path all loaded. Keras 3.15 refuses the same four."""
    layer_config, input_dtype, problem = HOSTILE_IDENTITIES[case]
    with pytest.raises(ValueError, match="Invalid config") as caught:
        keras.models.model_from_json(_one_layer_model(layer_config, input_dtype))
    assert problem in str(caught.value)


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(HOSTILE_IDENTITIES))
def test_keras_refuses_the_same_layer_dtypes_and_names(case):
    from _keras_reference import import_keras

    real = import_keras()
    layer_config, input_dtype, _ = HOSTILE_IDENTITIES[case]
    with pytest.raises(Exception):
        real.models.model_from_json(_one_layer_model(layer_config, input_dtype))

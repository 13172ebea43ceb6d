"""Builders of hostile model files for the config/deserialization security tests.

Each test makes its own artifact at run time: a ``.keras`` zip whose ``config.json`` an
attacker wrote by hand (the weights file is an empty, valid HDF5 file). Attacks that
could exhaust memory or loop run in a child process with an address-space limit and a
timeout (``run_load_in_subprocess``), so a regression fails the test instead of hanging
or swapping the machine.
"""

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import h5py

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEMORY_LIMIT_BYTES = 3 * 2**30  # address space of the child that loads a hostile file
TIME_LIMIT_SECONDS = 60


def empty_weights():
    buffer = io.BytesIO()
    with h5py.File(buffer, "w"):
        pass
    return buffer.getvalue()


def write_keras_file(path, config, raw_config_text=None):
    """A ``.keras`` zip holding ``config`` (or the exact text ``raw_config_text``)."""
    text = raw_config_text if raw_config_text is not None else json.dumps(config)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", text)
        archive.writestr("model.weights.h5", empty_weights())
    return path


def input_layer(name="input_layer", shape=(4,)):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None, *shape], "dtype": "float32", "name": name},
            "registered_name": None, "name": name, "inbound_nodes": []}


def tensor_ref(layer, node=0, index=0, shape=(None, 4)):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(shape), "dtype": "float32",
                       "keras_history": [layer, node, index]}}


def functional(layers, output=("input_layer", 0, 0), inputs=("input_layer", 0, 0)):
    """A functional model config with the given layer entries."""
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "registered_name": "Functional",
            "config": {"name": "hostile", "trainable": True, "layers": layers,
                       "input_layers": [list(inputs)], "output_layers": [list(output)]}}


def kerlite_op_layer(name, function, args, kwargs=None, source="input_layer"):
    """A kerlite OperationLayer node applying ``function`` with ``args`` (a slot 0 marks
    where the input tensor goes)."""
    return {"module": "kerlite.layers.core.operation_layer", "class_name": "OperationLayer",
            "registered_name": "kerlite>OperationLayer", "name": name,
            "config": {"name": name, "function": function,
                       "template": [args, kwargs or {}]},
            "inbound_nodes": [{"args": [tensor_ref(source)], "kwargs": {}}]}


def keras_op_layer(name, class_name, args, config=None, module="keras.src.ops.numpy"):
    """A Keras 3 operation node (``{"module": "keras.src.ops.numpy", "class_name":
    "Add"...}``), called with ``args`` (use ``tensor_ref`` for tensors)."""
    return {"module": module, "class_name": class_name, "registered_name": class_name,
            "name": name, "config": {"name": name, **(config or {})},
            "inbound_nodes": [{"args": args, "kwargs": {}}]}


def run_load_in_subprocess(path, loader="load_model", setup=""):
    """Load ``path`` (a .keras file; for "model_from_json" and "from_config" a JSON
    file) in a child process under memory and time limits; returns
    (outcome, message): ("loaded" | exception class name | "killed", text)."""
    script = textwrap.dedent(f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT_BYTES}, {MEMORY_LIMIT_BYTES}))
        import kerlite as keras
        {setup}
        try:
            if {loader!r} == "load_model":
                keras.saving.load_model(sys.argv[1])
            elif {loader!r} == "from_config":
                keras.Model.from_config(json.load(open(sys.argv[1]))["config"])
            else:
                keras.models.model_from_json(open(sys.argv[1]).read())
            print(json.dumps(["loaded", ""]))
        except BaseException as error:
            print(json.dumps([type(error).__name__, str(error)]))
    """)
    environment = dict(os.environ, PYTHONPATH=REPO_ROOT, OMP_NUM_THREADS="1",
                       OPENBLAS_NUM_THREADS="1")
    try:
        done = subprocess.run([sys.executable, "-c", script, os.fspath(path)],
                              capture_output=True, text=True, env=environment,
                              timeout=TIME_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        return "timeout", f"the load ran past {TIME_LIMIT_SECONDS} s"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return "killed", done.stderr[-2000:]
    return tuple(json.loads(lines[-1]))

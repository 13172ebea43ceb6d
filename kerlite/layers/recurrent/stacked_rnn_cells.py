"""StackedRNNCells: several cells acting as one, each feeding the next at every step.

``keras.layers.RNN([cell_1, cell_2])`` wraps the list in this class: at each time step the
input goes through cell 1, its output through cell 2, and so on. The states are one list per
cell (``[[h1, c1], [h2, c2]]`` for two LSTM cells).
"""

import inspect

from kerlite.layers.layer import Layer


class StackedRNNCells(Layer):
    """``keras.layers.StackedRNNCells(cells)``: a stack of RNN cells used as one cell."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise ValueError(
                    "All cells must have a `call` method and a `state_size` attribute. "
                    f"Received cells={cells!r}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is not None:
            return size
        return last.state_size if isinstance(last.state_size, int) else last.state_size[0]

    def get_initial_state(self, batch_size=None):
        from kerlite import ops

        states = []
        for cell in self.cells:
            get_initial_state = getattr(cell, "get_initial_state", None)
            if get_initial_state is not None:
                states.append(get_initial_state(batch_size=batch_size))
            else:
                sizes = [cell.state_size] if isinstance(cell.state_size, int) \
                    else cell.state_size
                dtype = getattr(cell, "compute_dtype", None)
                states.append([ops.zeros((batch_size, size), dtype=dtype) for size in sizes])
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            size = getattr(cell, "output_size", None) or (
                cell.state_size if isinstance(cell.state_size, int) else cell.state_size[0])
            input_shape = tuple(input_shape[:-1]) + (size,)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            cell_states = list(cell_states) if isinstance(cell_states, (list, tuple)) \
                else [cell_states]
            kwargs = {}
            if "training" in inspect.signature(cell.call).parameters:
                kwargs["training"] = training
            inputs, cell_new_states = cell(inputs, cell_states, **kwargs)
            if not isinstance(cell_new_states, (list, tuple)):
                cell_new_states = [cell_new_states]
            new_states.append(list(cell_new_states))
        return inputs, new_states

    def get_config(self):
        from kerlite.serialization import serialization_lib

        config = super().get_config()
        config["cells"] = [serialization_lib.serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerlite.serialization import serialization_lib

        config = dict(config)
        cells = [serialization_lib.deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]
        return cls(cells, **config)

"""What SimpleRNN, LSTM and GRU share: kernel creation, config, and the layer exposing
its cell's settings (``lstm.units`` is ``lstm.cell.units``), as in Keras."""

from kerlite import activations, initializers, ops, regularizers

_CELL_SETTINGS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "reset_after",
)


def _serialize(module, value):
    serialize = getattr(module, "serialize", None)
    if serialize is not None:
        return serialize(value)
    from kerlite.serialization import serialization_lib

    return serialization_lib.serialize_keras_object(value)


def _serialize_constraint(constraint):
    if constraint is None:
        return None
    from kerlite.serialization import serialization_lib

    return serialization_lib.serialize_keras_object(constraint)


class CellConfig:
    """Mixed into the built-in cells."""

    @staticmethod
    def _check_units(units):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for argument `units`, expected a positive "
                f"integer, got {units!r}."
            )

    def get_initial_state(self, batch_size=None):
        """Zero states, one (batch_size, size) tensor per entry of ``state_size``."""
        sizes = [self.state_size] if isinstance(self.state_size, int) else self.state_size
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    def _add_kernels(self, input_dim, gates):
        """kernel (input_dim, gates*units) and recurrent_kernel (units, gates*units)."""
        self.kernel = self.add_weight(
            shape=(input_dim, gates * self.units), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, gates * self.units), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)

    def _cell_config(self):
        config = {}
        for name in _CELL_SETTINGS:
            if not hasattr(self, name):
                continue
            value = getattr(self, name)
            if name.endswith("activation"):
                value = _serialize(activations, value)
            elif name.endswith("initializer"):
                value = _serialize(initializers, value)
            elif name.endswith("regularizer"):
                value = None if value is None else _serialize(regularizers, value)
            elif name.endswith("constraint"):
                value = _serialize_constraint(value)
            config[name] = value
        config["seed"] = self.seed
        return config


def forward_cell_properties(layer_class, cell_class):
    """Give ``layer_class`` read-only properties for the settings its cell has."""
    probe = set(cell_class.__init__.__code__.co_varnames)
    for name in _CELL_SETTINGS:
        if name in probe:
            setattr(layer_class, name, property(lambda self, name=name: getattr(self.cell, name)))


def layer_config_from_cell(layer, rnn_config):
    """The layer's config: the RNN settings plus the cell's own, without a nested cell."""
    config = dict(rnn_config)
    config.pop("cell", None)
    config.update(layer.cell._cell_config())
    activity = getattr(layer, "activity_regularizer", None)
    config["activity_regularizer"] = None if activity is None else _serialize(
        regularizers, activity)
    return config

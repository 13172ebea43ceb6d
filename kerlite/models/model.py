"""Model: a Layer that can be trained (compile / fit / evaluate / predict).

Two ways to make one, as in Keras 3:

* functional: ``keras.Model(inputs, outputs)`` (returns a ``Functional``);
* subclassing: ``class MyModel(keras.Model)`` with layers in ``__init__`` and a ``call``.
"""

from kerlite.layers.layer import Layer
from kerlite.saving.model_saving import ModelSavingMixin
from kerlite.trainers.trainer import Trainer


def is_functional_call(args, kwargs):
    """True when Model(...) was given inputs and outputs (positionally or by name)."""
    if len(args) >= 2 or ("inputs" in kwargs and "outputs" in kwargs):
        return True
    return len(args) == 1 and "outputs" in kwargs


class Model(Trainer, ModelSavingMixin, Layer):
    """The class users build and train: ``keras.Model(inputs, outputs)`` or a subclass.

    Args (functional form): inputs, outputs (a KerasTensor, a list or a dict of them),
        name, trainable.
    """

    def _repr_html_(self):
        """Summary table and graph, shown when a notebook cell ends with a model."""
        from kerlite.viz.model_html import model_html

        return model_html(self)

    def __new__(cls, *args, **kwargs):
        if cls is Model and is_functional_call(args, kwargs):
            from kerlite.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from kerlite.models.functional import Functional

        if is_functional_call(args, kwargs) and not isinstance(self, Functional):
            # A subclass that calls super().__init__(inputs, outputs): it becomes
            # functional too, keeping its own methods (Keras 3 does the same).
            cls = type(self)
            self.__class__ = type(cls.__name__, (cls, Functional),
                                  {"__module__": cls.__module__})
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}() got unexpected arguments {args or ''} "
                f"{kwargs or ''}. A functional model needs both `inputs` and `outputs`: "
                "keras.Model(inputs=inputs, outputs=outputs)."
            )
        Layer.__init__(self, name=name, trainable=trainable, dtype=dtype)

    @property
    def layers(self):
        """The layers this model holds, in the order they were assigned."""
        layers = []
        for layer in self._sublayers():
            if all(layer is not known for known in layers):
                layers.append(layer)
        return layers

    def get_layer(self, name=None, index=None):
        """A layer by ``name`` or by position ``index`` in ``model.layers``."""
        layers = self.layers
        if name is not None and index is not None:
            raise ValueError(
                "Provide only a layer name or a layer index. Received: "
                f"index={index}, name={name}.")
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None,
                expand_nested=False, show_trainable=False, layer_range=None):
        """Print a table of the layers, their output shapes and parameter counts."""
        from kerlite.viz import summary_utils

        return summary_utils.print_summary(
            self, line_length=line_length, positions=positions, print_fn=print_fn,
            expand_nested=expand_nested, show_trainable=show_trainable,
            layer_range=layer_range)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A functional config (with "layers", "input_layers"...) rebuilds the graph."""
        if all(key in config for key in ("layers", "input_layers", "output_layers")):
            from kerlite.models.functional import Functional
            from kerlite.models.functional_config import functional_from_config

            target = cls if issubclass(cls, Functional) else Functional
            return functional_from_config(target, config, custom_objects)
        return super().from_config(config)

    def build(self, input_shape=None):
        """Build a subclassed model by calling it once on zeros of ``input_shape``."""
        if self.built or input_shape is None:
            self.built = True
            return
        from kerlite.layers import output_spec
        from kerlite.layers.layer_snapshot import LayerSnapshot

        specs = output_spec.shapes_to_tensors(input_shape, self.dtype)
        snapshot = LayerSnapshot(self)  # a failed build leaves every layer unbuilt
        self.built = True  # so the trial call does not come back here
        try:
            output_spec.infer_output_spec(self, (specs,), {})
        except BaseException:
            snapshot.restore()
            raise

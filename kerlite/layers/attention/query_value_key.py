"""QueryValueKeyLayer: what MultiHeadAttention and GroupQueryAttention share.

Both are called as ``layer(query, value, key=None, ...)``: masks carried by the inputs
(``Embedding(mask_zero=True)``) become the ``query_mask``/``value_mask``/``key_mask``
arguments, the layer is built from all three shapes, and every mask (padding, an explicit
``attention_mask``, causal, sliding window) is combined into one boolean (B, T, S) mask.
"""

from kerlite import arrays
from kerlite.graph.keras_tensor import KerasTensor
from kerlite.layers.attention import attention_masks
from kerlite.layers.layer import Layer


class QueryValueKeyLayer(Layer):
    """Subclasses set ``_call_example`` (e.g. "mha") and ``_window`` (None or the sliding
    window size: an attribute or a property)."""

    _call_example = "layer"
    _window = None

    def get_build_config(self):
        return getattr(self, "_build_shapes", None) and {"shapes_dict": self._build_shapes}

    def build_from_config(self, config):
        if config and "shapes_dict" in config:
            self.build(**config["shapes_dict"])

    def __call__(self, query=None, value=None, key=None, **kwargs):
        if query is None or value is None:
            name = self._call_example
            raise ValueError(
                f'Layer "{self.name}" needs a query and a value: call it as '
                f"`{name}(query, value)` (self-attention: `{name}(x, x)`).")
        # The query's own mask wins over `query_mask`, as in Keras; value and key masks
        # given explicitly win over the carried ones. A symbolic call leaves the carried
        # masks out of the recorded node (as Keras): running the model carries them.
        for role, tensor in (("query", query), ("value", value), ("key", key)):
            carried = getattr(tensor, "_keras_mask", None)
            if isinstance(carried, KerasTensor):
                continue
            if carried is not None and (role == "query" or kwargs.get(f"{role}_mask") is None):
                kwargs[f"{role}_mask"] = carried
        if key is not None:
            kwargs["key"] = key
        if not self.built:
            self.build(_shape_of(query), _shape_of(value),
                       None if key is None else _shape_of(key))
        return super().__call__(query, value, **kwargs)

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask,
                        attention_mask, use_causal_mask):
        """Everything that says who may attend to whom, as one boolean (B, T, S) mask."""
        as_bool, both = attention_masks.as_bool, attention_masks.both
        xp = arrays.get_array_module()
        mask = None if query_mask is None else xp.expand_dims(as_bool(query_mask), -1)
        for extra in (value_mask, key_mask):
            if extra is not None:
                mask = both(mask, xp.expand_dims(as_bool(extra), -2))
        if (use_causal_mask or self._window is not None) and query.ndim != 3:
            raise ValueError(
                f'Layer "{self.name}": `use_causal_mask` and `sliding_window` need inputs '
                f"of rank 3 (batch, steps, features). Received: query of shape "
                f"{tuple(query.shape)}")
        if use_causal_mask:
            mask = both(mask, attention_masks.causal_mask(query.shape[1], value.shape[1]))
        if self._window is not None:
            mask = both(mask, attention_masks.band_mask(query.shape[1], value.shape[1],
                                                        self._window))
        return both(as_bool(attention_mask), mask)


def _shape_of(x):
    if hasattr(x, "shape"):
        return tuple(x.shape)
    return tuple(arrays.convert_to_array(x).shape)

"""IndexLookup: the vocabulary machinery that StringLookup and IntegerLookup share.

A vocabulary is a list of tokens; token ``k`` of the list gets index ``k`` plus the
number of reserved indices in front of it. With ``output_mode="int"`` and a
``mask_token`` the front is ``[mask, oov, oov...]``, else just the ``num_oov_indices``
OOV slots. So ``StringLookup(vocabulary=["a", "b"])`` maps "a" -> 1, "b" -> 2 and every
unknown string -> 0.

The vocabulary is either given (``vocabulary=``, ``set_vocabulary``) or learned by
``adapt(data)``, which keeps the most frequent tokens. A given vocabulary is part of
``get_config``; a learned one is saved as Keras 3 saves it, in the ``.keras`` file's
``assets/<layer path>/vocabulary.txt`` (one token per line, special tokens first), and
its "tf_idf" weights as the dataset ``idf_weights`` of the layer's weights group.
"""

import os

import numpy

from kerlite import arrays
from kerlite.layers.preprocessing.lookup import encoding
from kerlite.layers.preprocessing.lookup import vocabulary_rules as rules
from kerlite.layers.preprocessing.lookup.host_layer import (HostLayer, batches_of,
                                                            host_tensor, to_host)
from kerlite.layers.preprocessing.lookup.token_counts import TokenCounts

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def standardize_output_mode(output_mode, layer_name):
    """Accept the Keras 2 names "binary" and "tf-idf"; refuse unknown modes."""
    output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
    if output_mode not in OUTPUT_MODES:
        raise ValueError(
            f"Invalid value for argument output_mode of {layer_name}: {output_mode!r}. "
            f"Expected one of {OUTPUT_MODES}."
        )
    return output_mode


class IndexLookup(HostLayer):
    """Maps tokens to indices through a vocabulary (see StringLookup, IntegerLookup)."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, **kwargs):
        kind = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{kind}: if set, `max_tokens` must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{kind}: pad_to_max_tokens=True needs `max_tokens` (the size "
                             "to pad to). Received: max_tokens=None")
        if num_oov_indices < 0:
            raise ValueError(f"{kind}: `num_oov_indices` must be 0 or more. Received: "
                             f"num_oov_indices={num_oov_indices}")
        output_mode = standardize_output_mode(output_mode, kind)
        if invert and output_mode != "int":
            raise ValueError(f"{kind}: invert=True maps indices back to tokens, so "
                             f"output_mode must be 'int'. Received: output_mode={output_mode}")
        if sparse:
            raise ValueError(f"{kind}: sparse=True is not supported: kerlite has no sparse "
                             "tensors. Use sparse=False (a dense output).")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{kind}: `idf_weights` are only used with output_mode="
                             f"'tf_idf'. Received: output_mode={output_mode}")
        self._declared_vocabulary_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = None  # the vocabulary without the reserved indices; None: unset
        self._index = {}
        self.idf_weights = None
        self._counts = TokenCounts()
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(f"{kind}: with output_mode='tf_idf', a `vocabulary` needs "
                             "its `idf_weights` too.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # --- what subclasses define ------------------------------------------------------
    def _token_from(self, value):
        """One vocabulary entry in its canonical Python form (str or int)."""
        raise NotImplementedError

    def _tokens_array(self, inputs):
        """The inputs as a NumPy array of canonical tokens."""
        raise NotImplementedError

    def _oov_buckets(self, oov_tokens):
        """The OOV slot (0 to num_oov_indices - 1) of each unknown token."""
        raise NotImplementedError

    # --- the vocabulary --------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _special_tokens(self):
        return ([self.mask_token] * self._oov_start_index()
                + [self.oov_token] * self.num_oov_indices)

    def vocabulary_size(self):
        """The number of indices: the reserved ones (mask, OOV) plus the vocabulary."""
        return self._token_start_index() + len(self._tokens or ())

    def get_vocabulary(self, include_special_tokens=True):
        """The token of every index, in index order (without mask and OOV tokens if
        ``include_special_tokens=False``)."""
        tokens = list(self._tokens or ())
        if not include_special_tokens:
            return tokens
        return self._special_tokens() + tokens

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replace the vocabulary (and, for "tf_idf", the IDF weights): a list, array or
        a path to a text file with one token per line."""
        kind = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{kind}: with output_mode='tf_idf', set_vocabulary needs "
                             "`idf_weights` too.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{kind}: `idf_weights` are only used with output_mode="
                             f"'tf_idf'. Received: output_mode={self.output_mode}")
        if isinstance(vocabulary, str):
            vocabulary = rules.read_vocabulary_file(
                kind, vocabulary, getattr(self, "encoding", "utf-8"), self.output_mode)
        vocabulary = to_host(vocabulary, "vocabulary").reshape(-1)
        vocabulary = [self._token_from(v) for v in vocabulary]
        if not vocabulary:
            raise ValueError(f"{kind}: cannot set an empty vocabulary.")
        special = self._special_tokens()
        has_special = vocabulary[:len(special)] == special
        tokens = vocabulary[len(special):] if has_special else vocabulary
        reserved = {"mask_token": self.mask_token,
                    "oov_token": self.oov_token if self.invert else None}
        rules.check_tokens(kind, tokens, special, reserved, self.max_tokens)
        self._set_tokens(tokens)
        if idf_weights is not None:
            self._set_idf_weights(idf_weights, len(vocabulary), 0 if has_special else None)

    def _set_tokens(self, tokens):
        self._tokens = tokens
        self._index = {token: i for i, token in enumerate(tokens, self._token_start_index())}

    def _set_idf_weights(self, idf_weights, vocabulary_length, front=None):
        self.idf_weights = rules.idf_table(
            type(self).__name__, idf_weights, vocabulary_length,
            self._token_start_index() if front is None else front,
            self.max_tokens if self.pad_to_max_tokens else None)

    # --- adapt -----------------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Learn the vocabulary from ``data``: an array or list of tokens, or an iterable
        of such batches. Each sample (row) is one document for "tf_idf"."""
        self.reset_state()
        batches, whole = batches_of(data, steps)
        for batch in batches:
            if whole:
                batch = self._tokens_array(batch)
                if batch.ndim == 1:
                    batch = batch.reshape(-1, 1)
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        """Count the tokens of one batch (a 1-D batch is one document)."""
        data = self._tokens_array(data)
        if data.ndim < 2:
            data = data.reshape(1, -1)
        self._update_from_documents(data.reshape(data.shape[0], -1).tolist())

    def _update_from_documents(self, documents):
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}': its vocabulary was set with the "
                "`vocabulary` argument or `set_vocabulary()`. Create the layer without a "
                "vocabulary to learn one.")
        self._counts.add_documents(documents)

    def finalize_state(self):
        """Turn the counts into the vocabulary: the most frequent tokens first."""
        if self._has_input_vocabulary or not self._counts.counts:
            return
        limit = None if not self.max_tokens else self.max_tokens - self._token_start_index()
        tokens = self._counts.most_frequent(limit, exclude=(self.mask_token, self.oov_token))
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf_weights(self._counts.inverse_document_frequency(tokens), len(tokens))
        self.reset_state()

    def reset_state(self):
        if not self._has_input_vocabulary:
            self._counts = TokenCounts()

    # --- calling ---------------------------------------------------------------------
    def _depth(self):
        if self.pad_to_max_tokens:
            return self.max_tokens
        if self._tokens is None:
            return self._declared_vocabulary_size
        return self.vocabulary_size()

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        self._check_ready()
        return self._encode(self._lookup(self._tokens_array(inputs)))

    def _check_ready(self):
        """Refuse to run without what the output mode needs (vocabulary, IDF weights)."""
        kind = type(self).__name__
        if self._tokens is None and self._declared_vocabulary_size is not None:
            raise ValueError(
                f"Layer '{self.name}' was made from a config without its learned "
                f"vocabulary ({self._declared_vocabulary_size} entries): Keras and kerlite "
                "keep an adapted vocabulary in the .keras file's assets, not in the "
                "config. Load the whole model with `keras.models.load_model(...)`, or call "
                "`set_vocabulary(...)` (or `adapt`) on this layer.")
        if self.output_mode != "int" and self._depth() is None:
            raise RuntimeError(
                f"{kind} with output_mode='{self.output_mode}' and pad_to_max_tokens=False "
                "needs its vocabulary before it is called: pass `vocabulary=...` or call "
                "`adapt(data)` first.")
        if self.output_mode == "tf_idf" and self.idf_weights is None:
            raise ValueError(
                f"{kind} with output_mode='tf_idf' needs IDF weights: pass `vocabulary=` "
                "with `idf_weights=`, or call `adapt(data)` first.")

    def _encode(self, indices):
        if self.output_mode == "int":
            return host_tensor(indices)
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        if isinstance(indices, list):  # samples of different lengths (TextVectorization)
            out = encoding.encode_rows(indices, mode, self._depth(), arrays.floatx())
        else:
            out = encoding.encode(indices, mode, self._depth(), arrays.floatx())
        if self.output_mode == "tf_idf":
            out = out * self.idf_weights
        return host_tensor(out)

    def _lookup(self, tokens):
        """Token array -> int64 index array (mask positions: 0, or -1 if not "int")."""
        unique, inverse = numpy.unique(tokens.reshape(-1), return_inverse=True)
        found = numpy.array([self._index.get(t, -1) for t in unique.tolist()], dtype="int64")
        unknown = found < 0
        if self.mask_token is not None:
            is_mask = unique == self.mask_token
            found[is_mask] = 0 if self.output_mode == "int" else -1
            unknown &= ~is_mask
        if unknown.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f"Layer '{self.name}' has num_oov_indices=0, so every input must be in "
                    f"the vocabulary, but it received {unique[unknown].tolist()[:10]}. "
                    "Set num_oov_indices=1 to map unknown tokens to an OOV index.")
            found[unknown] = self._oov_start_index() + self._oov_buckets(unique[unknown])
        return found[inverse].reshape(tokens.shape)

    def _invert(self, inputs):
        indices = to_host(inputs).astype("int64")
        table = numpy.empty(self.vocabulary_size(), dtype=object)
        table[:] = self.get_vocabulary()  # index -> token, mask and OOV tokens included
        inside = (indices >= 0) & (indices < len(table))
        out = numpy.empty(indices.shape, dtype=object)
        out[...] = self.oov_token
        out[inside] = table[indices[inside]]
        return self._inverted_output(out)

    def _inverted_output(self, tokens):
        return host_tensor(tokens)

    # --- shapes and config -----------------------------------------------------------
    def compute_output_shape(self, input_shape):
        return encoding.encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        from kerlite.graph import KerasTensor

        dtype = "int64" if self.output_mode == "int" else arrays.floatx()
        if self.invert:
            dtype = self._inverted_dtype()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # --- saving (as Keras 3: an adapted vocabulary goes to assets/) ----------------------
    def save_own_variables(self, store):
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store):
        self._loaded_idf_weights = None
        if self.output_mode != "tf_idf" or "idf_weights" not in store:
            return
        weights = numpy.asarray(store["idf_weights"])
        if weights.ndim != 1 or weights.dtype.kind not in "fiu":
            raise ValueError(f"Layer '{self.name}': the stored idf_weights must be a 1-D "
                             f"array of numbers. Received shape {weights.shape}.")
        self._loaded_idf_weights = weights.astype(arrays.floatx())
        if self._tokens is not None:  # a given vocabulary: the weights complete it
            self._use_loaded_idf_weights()

    def save_assets(self, dir_path):
        if self._has_input_vocabulary:
            return  # a given vocabulary is in the config
        text = "\n".join(str(token) for token in self.get_vocabulary())
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write(text)

    def load_assets(self, dir_path):
        if self._has_input_vocabulary:
            return
        path = None if dir_path is None else os.path.join(dir_path, "vocabulary.txt")
        if path is None or not os.path.isfile(path):
            if self._tokens is None and self._declared_vocabulary_size:
                raise ValueError(f"Layer '{self.name}': the model file has no "
                                 "vocabulary.txt in its assets for this adapted layer.")
            return  # an older kerlite file kept the vocabulary in the config
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        entries = [self._token_from(line) for line in lines]
        special = self._special_tokens()
        tokens = entries[len(special):] if entries[:len(special)] == special else entries
        if not tokens:
            return  # saved before adapt: no vocabulary yet
        reserved = {"mask_token": self.mask_token,
                    "oov_token": self.oov_token if self.invert else None}
        rules.check_tokens(type(self).__name__, tokens, special, reserved, self.max_tokens)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._use_loaded_idf_weights()

    def _use_loaded_idf_weights(self):
        weights = getattr(self, "_loaded_idf_weights", None)
        expected = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        if weights is None and self.idf_weights is not None \
                and len(self.idf_weights) == expected:
            return  # already restored (TextVectorization loads its inner layer twice)
        if weights is None or len(weights) != expected:
            raise ValueError(
                f"Layer '{self.name}' (output_mode='tf_idf') needs {expected} stored "
                "idf_weights, one per index, but the file holds "
                f"{'none' if weights is None else len(weights)}.")
        self.idf_weights = weights
        self._loaded_idf_weights = None

    def get_config(self):
        config = super().get_config()
        known = self._tokens is not None
        given = known and self._has_input_vocabulary
        idf = self.idf_weights if given else None
        config.update({
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            # As in Keras 3: a learned vocabulary (and its IDF weights) is not part of the
            # config; model files keep it in assets/ (see save_assets).
            "idf_weights": None if idf is None else idf[:self.vocabulary_size()].tolist(),
            "vocabulary": self.get_vocabulary() if given else None,
            "vocabulary_size": (self.vocabulary_size() if known
                                else self._declared_vocabulary_size),
        })
        return config


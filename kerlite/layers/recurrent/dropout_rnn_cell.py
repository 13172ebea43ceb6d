"""DropoutRNNCell: the dropout masks a recurrent cell reuses at every time step.

Dropout in an RNN draws ONE mask per batch and applies it at every step (Gal & Ghahramani):
a fresh mask per step would wipe out what the state carries. The RNN layer clears the
cached masks after each call, so the next batch gets new ones.

A gated cell with ``recurrent_dropout`` draws one mask per gate, as Keras does (its
"implementation 1"): LSTM four (i, f, c, o), GRU three (z, r, h), for the input and for
the previous state. Such a cell sets ``dropout_mask_count``; each getter then returns a
list of masks, and ``gate_parts`` gives each gate its own dropped copy of a tensor. The
fused sequence ops (``ops.lstm``, ``ops.gru``) take these masks too (stacked, one per
gate), so a layer still runs the whole sequence in one op when training with dropout.
"""

from kerlite import activations, ops, random
from kerlite.ops.recurrent import fused_activation_name


class DropoutRNNCell:
    """Mixed into a cell that has ``dropout``, ``recurrent_dropout`` and ``seed_generator``."""

    _dropout_mask = None
    _recurrent_dropout_mask = None
    dropout_mask_count = None  # masks per call: None for one, or one per gate

    def _new_mask(self, like, rate):
        ones = ops.ones_like(like)
        if self.dropout_mask_count is None:
            return random.dropout(ones, rate=rate, seed=self.seed_generator)
        return [random.dropout(ones, rate=rate, seed=self.seed_generator)
                for _ in range(self.dropout_mask_count)]

    def _use_gate_masks(self, recurrent_dropout, gates):
        """As Keras: with recurrent dropout, one mask per gate (else one for all)."""
        self.dropout_mask_count = gates if recurrent_dropout != 0 else None

    @staticmethod
    def gate_parts(tensor, masks, gates):
        """``gates`` copies of ``tensor``, each times its gate's mask (no mask: the same
        tensor for every gate; one mask: the same dropped tensor)."""
        if masks is None:
            return [tensor] * gates
        if not isinstance(masks, list):
            return [tensor * masks] * gates
        return [tensor * mask for mask in masks]

    def gate_projection(self, parts, kernel):
        """``parts[g] @ kernel[:, gate g's columns]``, side by side: the same as
        ``parts[0] @ kernel`` (one matmul) when every gate has the same part."""
        if all(part is parts[0] for part in parts):
            return ops.matmul(parts[0], kernel)
        u = self.units
        return ops.concatenate(
            [ops.matmul(part, kernel[:, g * u:(g + 1) * u]) for g, part in enumerate(parts)],
            axis=-1)

    def _step_masks(self, step_input, previous_state, training):
        """This call's (input masks, recurrent masks), each None when not dropping."""
        input_masks = recurrent_masks = None
        if training and 0 < self.dropout < 1:
            input_masks = self.get_dropout_mask(step_input)
        if training and 0 < self.recurrent_dropout < 1:
            recurrent_masks = self.get_recurrent_dropout_mask(previous_state)
        return input_masks, recurrent_masks

    def get_dropout_mask(self, step_input):
        """The (batch, features) input mask of this call (created on first use)."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._new_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        """The (batch, units) mask multiplied into the previous state before ``@ U``."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._new_mask(step_input, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    # --- helpers for the whole-sequence (fused) path ------------------------------------
    def _dropped_sequences(self, sequences, training):
        """``sequences`` with this call's input mask applied at every step."""
        if not (training and 0 < self.dropout < 1):
            return sequences
        mask = self.get_dropout_mask(sequences[:, 0, :])
        return sequences * ops.expand_dims(mask, 1)

    def _input_mask_array(self, sequences, training):
        """This call's input mask(s) for a fused op: None, one (batch, features) mask, or
        a list with one per gate in the gate order (the op stacks it)."""
        if not (training and 0 < self.dropout < 1):
            return None
        return self.get_dropout_mask(sequences[:, 0, :])

    def _recurrent_mask_array(self, state, training):
        """The same for the recurrent mask(s): None, (batch, units), or one per gate."""
        if not (training and 0 < self.recurrent_dropout < 1):
            return None
        return self.get_recurrent_dropout_mask(state)

    def _fused_activation_names(self):
        """Activation names the fused op knows, or None (then the RNN loops over ``call``)."""
        names = [_builtin_activation_name(self.activation)]
        if hasattr(self, "recurrent_activation"):
            names.append(_builtin_activation_name(self.recurrent_activation))
        return None if None in names else names


def _builtin_activation_name(function):
    """The name of one of kerlite's own activation functions, if the fused ops know it:
    the name must give back this very function in ``kerlite.activations`` (a user's own
    function named "tanh" is not kerlite's tanh, so its cell loops step by step)."""
    if function is None:
        return "linear"
    name = fused_activation_name(getattr(function, "__name__", None) or "?")
    if name is None or activations.get(name) is not function:
        return None
    return name



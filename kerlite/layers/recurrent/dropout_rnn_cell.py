"""DropoutRNNCell: the dropout masks a recurrent cell reuses at every time step.

Dropout in an RNN draws ONE mask per batch and applies it at every step (Gal & Ghahramani):
a fresh mask per step would wipe out what the state carries. The RNN layer clears the
cached masks after each call, so the next batch gets new ones.
"""

from kerlite import ops, random
from kerlite.ops.recurrent import fused_activation_name


class DropoutRNNCell:
    """Mixed into a cell that has ``dropout``, ``recurrent_dropout`` and ``seed_generator``."""

    _dropout_mask = None
    _recurrent_dropout_mask = None

    def _new_mask(self, like, rate):
        return random.dropout(ops.ones_like(like), rate=rate, seed=self.seed_generator)

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

    def _recurrent_mask_array(self, state, training):
        if not (training and 0 < self.recurrent_dropout < 1):
            return None
        return self.get_recurrent_dropout_mask(state).data

    def _fused_activation_names(self):
        """Activation names the fused op knows, or None (then the RNN loops over ``call``)."""
        names = [fused_activation_name(self.activation)]
        if hasattr(self, "recurrent_activation"):
            names.append(fused_activation_name(self.recurrent_activation))
        return None if None in names else names

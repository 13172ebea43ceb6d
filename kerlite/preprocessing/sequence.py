"""``keras.preprocessing.sequence``: the same ``pad_sequences`` as ``keras.utils``."""

from kerlite.utils.sequence_utils import pad_sequences

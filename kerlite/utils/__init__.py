"""Utilities: random seeds, naming, and (lazily) plotting and data helpers."""

from kerlite.utils.seeding import set_random_seed
from kerlite.utils.py_dataset import PyDataset, Sequence
from kerlite.utils.model_visualization import model_to_dot, plot_model
from kerlite.utils.numerical_utils import normalize, to_categorical
from kerlite.utils.file_utils import get_file
from kerlite.utils.sequence_utils import pad_sequences

"""Lookup and text preprocessing layers (StringLookup, TextVectorization...).

They run on the host with NumPy (strings and vocabularies do not belong on a GPU) and
accept Python lists as well as arrays. ``Hashing`` is not here: Keras hashes with
FarmHash, which kerlite does not implement.
"""

from kerlite.layers.preprocessing.lookup.category_encoding import CategoryEncoding
from kerlite.layers.preprocessing.lookup.discretization import Discretization
from kerlite.layers.preprocessing.lookup.integer_lookup import IntegerLookup
from kerlite.layers.preprocessing.lookup.string_lookup import StringLookup
from kerlite.layers.preprocessing.lookup.text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "Discretization", "IntegerLookup", "StringLookup",
           "TextVectorization"]

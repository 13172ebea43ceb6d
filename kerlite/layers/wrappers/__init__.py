"""Wrappers: layers that apply another layer in a new way (per time step, both directions)."""

from kerlite.layers.wrappers.bidirectional import Bidirectional
from kerlite.layers.wrappers.time_distributed import TimeDistributed
from kerlite.layers.wrappers.wrapper import Wrapper

__all__ = ["Bidirectional", "TimeDistributed", "Wrapper"]

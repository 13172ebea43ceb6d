"""Adaptive pooling ops (keras.ops.adaptive_average_pool / adaptive_max_pool)."""
__all__ = []

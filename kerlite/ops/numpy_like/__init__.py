"""More of keras.ops' NumPy-like functions (filled in below)."""
__all__ = []

"""keras.ops neural-network and linear-algebra functions beyond the basics."""
__all__ = []

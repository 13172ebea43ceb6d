"""Feature preprocessing layers (Normalization)."""

"""Image preprocessing layers (rescaling, resizing, cropping, random augmentation)."""

"""Image operations (``keras.ops.image``): resizing and affine transforms of image batches."""

"""Image preprocessing layers (rescaling, resizing, cropping, random augmentation)."""
from kerlite.layers.preprocessing.image.center_crop import CenterCrop
from kerlite.layers.preprocessing.image.random_brightness import RandomBrightness
from kerlite.layers.preprocessing.image.random_contrast import RandomContrast
from kerlite.layers.preprocessing.image.random_crop import RandomCrop
from kerlite.layers.preprocessing.image.random_flip import RandomFlip
from kerlite.layers.preprocessing.image.random_rotation import RandomRotation
from kerlite.layers.preprocessing.image.random_translation import RandomTranslation
from kerlite.layers.preprocessing.image.random_zoom import RandomZoom
from kerlite.layers.preprocessing.image.rescaling import Rescaling
from kerlite.layers.preprocessing.image.resizing import Resizing

__all__ = ["CenterCrop", "RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip",
           "RandomRotation", "RandomTranslation", "RandomZoom", "Rescaling", "Resizing"]

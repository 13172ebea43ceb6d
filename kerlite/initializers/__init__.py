"""Weight initializers, by name (``"glorot_uniform"``) or as objects (``GlorotUniform()``)."""

from kerlite.initializers.constant_initializers import (Constant, Identity,
                                                        IdentityInitializer, Ones, Zeros)
from kerlite.initializers.initializer import Initializer
from kerlite.initializers.random_initializers import (GlorotNormal, GlorotUniform, HeNormal,
                                                      HeUniform, LecunNormal, LecunUniform,
                                                      Orthogonal, OrthogonalInitializer,
                                                      RandomNormal, RandomUniform,
                                                      TruncatedNormal, VarianceScaling)
from kerlite.common.naming import to_snake_case as _to_snake_case

_CLASSES = (Constant, Zeros, Ones, Identity, RandomNormal, RandomUniform, TruncatedNormal,
            VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform,
            LecunNormal, Orthogonal)
_BY_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({_to_snake_case(cls.__name__): cls for cls in _CLASSES})
_BY_NAME.update({"zero": Zeros, "one": Ones, "uniform": RandomUniform,
                 "normal": RandomNormal, "IdentityInitializer": Identity,
                 "OrthogonalInitializer": Orthogonal})

# snake_case function-style names, as ``keras.initializers.glorot_uniform``
constant, zeros, ones, identity = Constant, Zeros, Ones, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal = VarianceScaling, Orthogonal
glorot_uniform, glorot_normal, he_uniform, he_normal = (GlorotUniform, GlorotNormal,
                                                        HeUniform, HeNormal)
lecun_uniform, lecun_normal = LecunUniform, LecunNormal


def serialize(initializer):
    """``{"module", "class_name", "config", "registered_name"}`` as Keras 3 writes it."""
    if initializer is None:
        return None
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name)
    if cls is None:
        raise ValueError(f"Unknown initializer: {name!r}.")
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """An initializer from a name, a config dict, an instance, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier)
        if cls is None:
            raise ValueError(
                f"Could not interpret initializer identifier: {identifier!r}. Known "
                f"names: {sorted(n for n in _BY_NAME if n.islower())}"
            )
        return cls()
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


# keras.Variable("zeros", shape=...) finds initializers by name through this lookup.
from kerlite.autodiff import variable as _variable  # noqa: E402

_variable.use_initializer_lookup(get)

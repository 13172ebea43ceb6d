"""``keras.ops.nn``: the neural-network ops under the name Keras also gives them.

Each name here is the same function as ``kerlite.ops.<name>``; the module only lets code
written as ``keras.ops.nn.relu(x)`` run unchanged.
"""

from kerlite.ops._helpers import ops_under_another_name

_NN_NAMES = (
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization",
    "binary_crossentropy", "categorical_crossentropy", "celu", "conv", "conv_transpose",
    "depth_to_space", "depthwise_conv", "dot_product_attention", "elu", "fold", "gelu",
    "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax", "max_pool",
    "moments", "multi_hot", "normalize", "one_hot", "psnr", "relu", "relu6",
    "rms_normalization", "selu", "separable_conv", "sigmoid", "silu", "soft_shrink",
    "softmax", "softplus", "softsign", "space_to_depth", "sparse_categorical_crossentropy",
    "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh_shrink",
    "threshold", "unfold",
)


__getattr__, __dir__ = ops_under_another_name(__name__, _NN_NAMES)

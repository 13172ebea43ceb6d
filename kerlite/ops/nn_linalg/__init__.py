"""The neural-network, linear-algebra and structural ``keras.ops``: normalisations and
attention (nn.py), matrix decompositions and solvers (matrices.py), and loops, segment
reductions, scatters and patches (structural.py), and Fourier transforms on
(real, imag) pairs (fft.py)."""

from kerlite.ops.nn_linalg.fft import fft, fft2, ifft2, irfft, istft, rfft, stft
from kerlite.ops.nn_linalg.matrices import (cholesky, cholesky_inverse, det, eig, eigh, inv,
                                            logdet, lstsq, lu_factor, matrix_rank, pinv, qr,
                                            slogdet, solve, solve_triangular, svd)
from kerlite.ops.nn_linalg.nn import (batch_normalization, cdist, depth_to_space,
                                      dot_product_attention, in_top_k,
                                      layer_normalization, multi_hot, psnr,
                                      rms_normalization, space_to_depth)
from kerlite.ops.nn_linalg.structural import (associative_scan, custom_gradient, dtype,
                                              extract_sequences, fold, map, saturate_cast,
                                              scan, scatter, scatter_update, segment_max,
                                              segment_min, segment_prod, segment_sum,
                                              rearrange, switch, unfold, vectorize)

__all__ = [
    "batch_normalization", "layer_normalization", "rms_normalization",
    "dot_product_attention", "multi_hot", "in_top_k", "depth_to_space",
    "space_to_depth", "psnr", "cdist",
    "det", "inv", "solve", "solve_triangular", "cholesky", "cholesky_inverse",
    "slogdet", "logdet", "pinv", "qr", "svd", "eigh", "lstsq", "lu_factor",
    "matrix_rank",
    "scan", "map", "switch", "associative_scan", "custom_gradient", "segment_sum",
    "segment_max", "segment_min", "segment_prod", "scatter", "scatter_update",
    "saturate_cast", "extract_sequences", "unfold", "fold", "dtype", "vectorize",
    "rearrange", "eig", "fft", "fft2", "ifft2", "rfft", "irfft", "stft",
    "istft",
]

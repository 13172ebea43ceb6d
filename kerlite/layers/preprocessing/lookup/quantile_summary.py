"""The approximate quantiles behind ``Discretization.adapt`` (Keras 3's method).

A summary is a 2 x k array: sorted values (row 0) and the weight, how many data points
each one stands for (row 1). Summaries of successive batches are merged and compressed
back to about ``1 / epsilon`` points, so ``adapt`` never keeps the whole data set. The
bin boundaries are the values at cumulative weight 1/num_bins, 2/num_bins, ...
"""

import numpy


def empty_summary():
    return numpy.zeros((2, 0), dtype="float32")


def summarize(values, epsilon):
    """Every ``step``-th sorted value, each standing for ``step`` points, where ``step``
    makes about ``1 / epsilon`` points (all of them when there are fewer)."""
    values = numpy.sort(numpy.reshape(values, -1))
    step = max(values.size / (1.0 / epsilon), 1)  # written as Keras does, same rounding
    kept = values[int(step - 1)::int(step)]
    return numpy.stack([kept, numpy.full(kept.shape, step, dtype=kept.dtype)])


def merge(first, second, epsilon):
    """One summary of the data of both, compressed to the ``epsilon`` resolution."""
    merged = numpy.concatenate([first, second], axis=1)
    merged = merged[:, numpy.argsort(merged[0])]
    return compress(merged, epsilon)


def compress(summary, epsilon):
    """Resample the summary at cumulative weight fractions epsilon, 2 epsilon, ..., 1."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + numpy.arange(0.0, 1.0, epsilon)
    cumulative = numpy.cumsum(summary[1])
    positions = cumulative / cumulative[-1]
    values = numpy.interp(fractions, positions, summary[0])
    new_cumulative = numpy.interp(fractions, positions, cumulative)
    weights = numpy.diff(new_cumulative, prepend=0.0)
    return numpy.stack([values, weights]).astype("float32")


def bin_boundaries(summary, num_bins):
    """The ``num_bins - 1`` inner boundaries of equal-weight bins."""
    return compress(summary, 1.0 / num_bins)[0, :-1]

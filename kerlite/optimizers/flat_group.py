"""FlatGroup: many small variables updated as one long array.

An optimizer step costs a handful of array passes per variable; on a small model most
of that time is the fixed cost of each NumPy call, not arithmetic. So the optimizer
moves its small variables (and their slots: momentum, velocity...) into one flat buffer
each, keeping every Variable's ``data`` as a view of its piece, and updates the whole
group with one set of calls. Large variables stay on their own: for them the calls are
cheap compared to the arithmetic, and copying their gradients would cost a pass.
"""

from kerlite import arrays

SMALL = 1 << 18  # variables with fewer elements than this (256 Ki) join the group


class FlatGroup:
    """Stands in for one variable in ``_fused_update_step``: ``data`` is the flat buffer,
    ``slots`` the flat slot buffers, and ``grad`` the buffer the optimizer copies the
    members' gradients into before each update (``Optimizer._fused_update_all``)."""

    def __init__(self, variables, slot_variables, xp):
        self.members = list(variables)
        self.name = "flat_group"
        sizes = [v.data.size for v in self.members]
        dtype = self.members[0].data.dtype
        self.data = _rehome([v for v in self.members], sizes, dtype, xp)
        self.slots = tuple(_SlotBuffer(_rehome(column, sizes, dtype, xp))
                           for column in zip(*slot_variables))
        self.grad = xp.empty(sum(sizes), dtype=dtype)


class _SlotBuffer:
    """A flat slot buffer (what ``_fused_update_step`` reads as ``slot.data``)."""

    def __init__(self, data):
        self.data = data


def _rehome(variables, sizes, dtype, xp):
    """Copy the variables into one flat buffer and make each ``data`` a view of it."""
    flat = xp.empty(sum(sizes), dtype=dtype)
    offset = 0
    for variable, size in zip(variables, sizes):
        piece = flat[offset:offset + size]
        piece[...] = variable.data.reshape(-1)
        variable.data = piece.reshape(variable.data.shape)
        offset += size
    return flat


def make_groups(variables, slots):
    """One FlatGroup per dtype for the small float variables; ``slots`` maps id(variable)
    to its slot Variables. Returns (groups, ids of grouped variables)."""
    by_dtype = {}
    for variable in variables:
        data = variable.data
        if data.dtype.kind == "f" and data.size < SMALL and data.flags.c_contiguous:
            by_dtype.setdefault(data.dtype, []).append(variable)
    groups, grouped = [], set()
    for members in by_dtype.values():
        if len(members) < 2:
            continue
        xp = arrays.get_array_module(members[0].data)
        groups.append(FlatGroup(members, [slots[id(v)] for v in members], xp))
        grouped.update(id(v) for v in members)
    return groups, grouped

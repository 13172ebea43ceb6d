"""Read what a ``GradientTape`` recorded into plain data: one ``TapeNode`` per value.

kerlite's tensors keep their own record (``_parents``, ``_backward``: see
``kerlite/autodiff/tensor.py``). This module is the ONLY place in the widgets that reads
those private attributes; when autodiff gains a public recording API, only
``_recorded_parents`` / ``_backward_rule`` here change.

The gradients are computed here too, once, with the same ``backpropagate`` that
``tape.gradient`` runs (same seed, same order), but asked for every recorded value and
without freeing the graph, so the numbers equal the tape's.
"""

import weakref
from dataclasses import dataclass, field

from kerlite import arrays
from kerlite.autodiff.gradients import backpropagate, topological_order
from kerlite.autodiff.variable import Variable

FREED_GRAPH_HELP = (
    "build the TapeGraph right after the computation, before `tape.gradient(...)` "
    "(which frees the recorded graph), or use `GradientTape(persistent=True)`; and compute "
    "the target inside `with GradientTape() as tape:` from Variables or watched tensors."
)


@dataclass
class TapeNode:
    """One value of the recorded computation.

    ``kind`` is ``"op"`` (computed by an op), ``"variable"`` (a Variable or a watched
    tensor: a leaf that gets a gradient) or ``"constant"`` (a leaf without gradient).
    ``value`` and ``grad`` are NumPy copies taken when the graph was built; ``grad`` is
    d(target)/d(this value), or None where no gradient reaches it.
    """

    index: int
    label: str
    op: str
    kind: str
    shape: tuple
    value: object
    grad: object = None
    parents: list = field(default_factory=list)
    _tensor: object = field(default=None, repr=False, compare=False)

    @property
    def is_leaf(self):
        return self.kind != "op"


def op_name(backward):
    """The op that recorded a backward rule, read from the rule's qualified name.

    Ops define their rule inside themselves, so ``add.<locals>.backward`` -> ``"add"``,
    ``relu.<locals>.<lambda>`` -> ``"relu"``, ``rfft.<locals>.backward.<locals>.rule``
    -> ``"rfft"``; a module-level ``_softmax_backward`` -> ``"softmax"``.
    """
    function = getattr(backward, "func", backward)  # functools.partial
    qualname = getattr(function, "__qualname__", None) or type(function).__name__
    scopes = [part.rsplit(".", 1)[-1] for part in qualname.split(".<locals>.")]
    # the innermost enclosing function that is not itself a backward-rule factory
    enclosing = [s for s in scopes[:-1] if "backward" not in s] or scopes[-1:]
    name = enclosing[-1].strip("_")
    for suffix in ("_backward", "_grad", "_vjp"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return "op" if not name or name.startswith("<") else name


def _recorded_parents(tensor):
    return tuple(tensor._parents)  # private: the tensor's own record (see module docstring)


def _backward_rule(tensor):
    return tensor._backward  # private: None for a leaf or a freed graph


def _gets_gradient(tensor):
    return bool(tensor._needs_grad)  # private: Variables and watched tensors


def read_tape(target, names=None):
    """``TapeNode``s of everything recorded on the way to ``target``, parents first.

    Leaves are placed just before the first op that uses them. ``names`` maps a label to
    a tensor (``{"e": e}``); Variables are labelled with their path (``dense/kernel``).
    """
    if _backward_rule(target) is None:
        raise ValueError(
            "TapeGraph: this tensor has no recorded computation, so there is nothing to "
            f"draw (target shape {tuple(target.shape)}). To fix it, {FREED_GRAPH_HELP}"
        )
    labels = {id(tensor): label for label, tensor in (names or {}).items()}
    ordered, seen = [], set()
    for tensor in topological_order(target):
        for parent in _recorded_parents(tensor):
            if _backward_rule(parent) is None and id(parent) not in seen:
                seen.add(id(parent))
                ordered.append(parent)
        seen.add(id(tensor))
        ordered.append(tensor)
    grads = backpropagate(target, ordered, free_graph=False)
    position = {id(tensor): i for i, tensor in enumerate(ordered)}
    nodes = []
    for i, (tensor, grad) in enumerate(zip(ordered, grads)):
        rule = _backward_rule(tensor)
        if rule is not None:
            kind, op = "op", op_name(rule)
        elif _gets_gradient(tensor):
            kind, op = "variable", "Variable" if isinstance(tensor, Variable) else "watched"
        else:
            kind, op = "constant", "constant"
        label = labels.get(id(tensor))
        if label is None and isinstance(tensor, Variable):
            label = tensor.path
        parents = []
        for parent in _recorded_parents(tensor):
            if position[id(parent)] not in parents:
                parents.append(position[id(parent)])
        nodes.append(TapeNode(
            index=i, label=label or op, op=op, kind=kind, shape=tuple(tensor.shape),
            value=arrays.to_numpy(tensor.data).copy(),
            grad=None if grad is None else arrays.to_numpy(grad).copy(),
            parents=parents, _tensor=weakref.ref(tensor)))
    return nodes

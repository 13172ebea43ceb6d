"""kerlite's import structure, measured from the code: layers, upward imports, cycles.

    python tools/import_graph.py            # the table: layers, upward imports, largest cycle
    python tools/import_graph.py --dot      # a Graphviz picture of the layers (stdout)

Every ``import`` in every module counts, those inside functions too. A module belongs to
the first layer (lowest first) whose prefix it matches; an import "points up" when it
reaches a higher layer. ``tests/test_layering.py`` fails on any upward import that is not
in ``ALLOWED_UPWARD`` and on any import cycle larger than ``MAX_CYCLE`` modules (the
allowed imports left out).
"""

import ast
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kerlite")

# Lowest first. A lower layer never imports a higher one.
LAYERS = [
    ("foundations", ["kerlite.arrays", "kerlite.common",
                     "kerlite.safe_loading", "kerlite.config"]),
    ("autodiff", ["kerlite.autodiff"]),
    ("graph", ["kerlite.graph"]),
    ("ops", ["kerlite.ops", "kerlite.random"]),
    ("serialization", ["kerlite.serialization"]),
    ("building blocks", ["kerlite.initializers", "kerlite.regularizers",
                         "kerlite.constraints", "kerlite.activations"]),
    ("layers", ["kerlite.layers"]),
    ("training pieces", ["kerlite.losses", "kerlite.metrics", "kerlite.optimizers"]),
    ("callbacks", ["kerlite.callbacks"]),
    ("viz", ["kerlite.viz"]),
    ("saving", ["kerlite.saving"]),
    ("models and loops", ["kerlite.perf", "kerlite.trainers", "kerlite.models"]),
    ("utilities and data", ["kerlite.utils", "kerlite.datasets", "kerlite.preprocessing"]),
    ("widgets", ["kerlite.widgets"]),
    ("facade", ["kerlite.exercises", "kerlite.backend", "kerlite.tree", "kerlite.testing",
                "kerlite"]),
]

# (importer, imported) pairs allowed to point up, each with its reason. Empty: where a
# lower layer needs a higher one (Tensor's operators are ops; a Variable's initializer
# given by name), the higher layer hands the function down when it is imported
# (``autodiff.tensor.use_ops``, ``autodiff.variable.use_initializer_lookup``,
# ``graph.symbolic_ops.register_symbolic_op``).
ALLOWED_UPWARD = {
}

MAX_CYCLE = 6


def module_name(path):
    rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
    return rel[: -len(".__init__")] if rel.endswith(".__init__") else rel


def modules():
    found = {}
    for folder, _, files in os.walk(ROOT):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                found[module_name(path)] = path
    return found


def imports_of(name, path, known):
    """(imported module, line, inside a function) for each kerlite import in ``path``."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    is_package = path.endswith("__init__.py")
    found = []

    def add(target, node, lazy):
        # importing a module runs its packages' __init__ first: count the nearest known one
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            found.append((target, node.lineno, lazy))

    def visit(node, lazy):
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                               ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("kerlite"):
                        add(alias.name, child, inner)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = name.split(".") if is_package else name.split(".")[:-1]
                    parts = parts[: len(parts) - (child.level - 1)]
                    base = ".".join(parts + ([base] if base else []))
                if base.startswith("kerlite"):
                    for alias in child.names:
                        full = base + "." + alias.name
                        add(full if full in known else base, child, inner)
            visit(child, inner)

    visit(tree, False)
    return found


def layer_of(module):
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    return None if best is None else best[0]


def import_graph():
    """{module: [(imported, line, lazy), ...]} over every kerlite module."""
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def upward_imports(graph):
    """[(importer, imported, line, lazy)] for every import that reaches a higher layer."""
    found = []
    for name, targets in graph.items():
        for target, line, lazy in targets:
            low, high = layer_of(name), layer_of(target)
            if low is not None and high is not None and high > low:
                found.append((name, target, line, lazy))
    return sorted(found)


def cycles(graph, allowed=None):
    """Strongly connected sets of modules (import cycles), largest first.

    The allowed upward imports are left out: each closes a cycle by design (Tensor's
    operators call the ops, which make Tensors), and each is listed with its reason.
    """
    allowed = ALLOWED_UPWARD if allowed is None else allowed
    edges = {name: {t for t, _, _ in targets if (name, t) not in allowed}
             for name, targets in graph.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted((c for c in found if len(c) > 1), key=len, reverse=True)


def unplaced(graph):
    return sorted(name for name in graph if layer_of(name) is None)


def dot(graph):
    """The layers as a Graphviz digraph, lowest at the bottom: an arrow from a layer to each
    layer below that it imports (only the nearest, so the picture stays readable)."""
    uses = set()
    for name, targets in graph.items():
        for target, _, _ in targets:
            a, b = layer_of(name), layer_of(target)
            if a is not None and b is not None and a != b:
                uses.add((a, b))
    lines = ["digraph kerlite_layers {", "  rankdir=TB; node [shape=box, fontname=Helvetica];"]
    for rank, (title, prefixes) in enumerate(LAYERS):
        names = [p.replace("kerlite.", "") for p in prefixes]
        label = title if names == [title] else title + "\\n(" + ", ".join(names) + ")"
        lines.append(f'  L{rank} [label="{label}"];')
    # only the arrows to the nearest layer used keep the picture readable
    for a, b in sorted(uses):
        closer = any((a, c) in uses and (c, b) in uses for c in range(len(LAYERS)))
        style = "" if a > b else ' [color=red, label="up"]'
        if not closer or a < b:
            lines.append(f"  L{a} -> L{b}{style};")
    lines.append("}")
    return "\n".join(lines)


def main():
    graph = import_graph()
    if "--dot" in sys.argv:
        print(dot(graph))
        return
    total = sum(len(t) for t in graph.values())
    lazy = sum(1 for t in graph.values() for _, _, is_lazy in t if is_lazy)
    print(f"{len(graph)} modules, {total} kerlite imports ({lazy} inside functions)")
    for rank, (title, prefixes) in enumerate(LAYERS):
        count = sum(1 for name in graph if layer_of(name) == rank)
        print(f"  {rank:2d} {title:18s} {count:3d} modules  {', '.join(prefixes)}")
    up = upward_imports(graph)
    print(f"upward imports: {len(up)}")
    for name, target, line, is_lazy in up:
        mark = " (allowed)" if (name, target) in ALLOWED_UPWARD else ""
        print(f"  {name}:{line} -> {target}{' [in a function]' if is_lazy else ''}{mark}")
    found = cycles(graph)
    print(f"largest import cycle: {len(found[0]) if found else 0} modules")
    for group in found[:5]:
        print("  " + " <-> ".join(group[:12]) + (" ..." if len(group) > 12 else ""))
    missing = unplaced(graph)
    if missing:
        print("modules in no layer:", ", ".join(missing))


if __name__ == "__main__":
    main()

"""map_graph's order: the layer list and the depths Keras 3 gives, on graphs with skips.

A node's depth is its distance from the outputs along the *longest* path (a parent sits
below all of its children), and ``model.layers`` lists layers deepest first, ties broken
by the order the walk first met them. A rule that keeps the depth of only one child (the
first or the last one seen) gives the same answer on chains and most small graphs, so
these tests use graphs where branches of different lengths meet: residual blocks with a
longer branch, DenseNet-style concatenations, diamonds, nested models, shared layers,
and a few hundred seeded random graphs.

Each hand-built graph has its expected order and depths written out (they run without
Keras; they were read from Keras 3.15), and a parity test builds the same graph with
real Keras 3 and compares.
"""

import random

import pytest

import kerlite
from tests._keras_reference import import_keras

WIDTH = 4  # every tensor is (batch, WIDTH) so that any two can be added


# --- what we compare ------------------------------------------------------------------
def layer_order(model):
    """Names of ``model.layers``, in order."""
    return [layer.name for layer in model.layers]


def layer_depths(model):
    """{layer name: depth} from the model's layers-by-depth table."""
    table = getattr(model, "_layers_by_depth", None)
    if table is None:  # Keras 3 calls it _operations_by_depth
        table = model._operations_by_depth
    return {layer.name: depth for depth, layers in table.items() for layer in layers}


def node_depths(model):
    """{(layer name, node index): depth} from ``model._nodes_by_depth``."""
    return {
        (node.operation.name, node.operation._inbound_nodes.index(node)): depth
        for depth, nodes in model._nodes_by_depth.items() for node in nodes
    }


def describe(model):
    return layer_order(model), layer_depths(model), node_depths(model)


# --- hand-built graphs (each takes the library: kerlite or keras) -----------------------
def residual_long_branch(k):
    """x -> a -> b -> c -> add(x... ) : the skip is shorter than the main branch."""
    x = k.Input(shape=(WIDTH,), name="x")
    stem = k.layers.Dense(WIDTH, name="stem")(x)
    a = k.layers.Dense(WIDTH, name="a")(stem)
    b = k.layers.Dense(WIDTH, name="b")(a)
    c = k.layers.Dense(WIDTH, name="c")(b)
    out = k.layers.Add(name="add")([stem, c])  # skip listed first
    return k.Model(x, out)


def residual_skip_last(k):
    """The same block with the skip listed after the long branch."""
    x = k.Input(shape=(WIDTH,), name="x")
    stem = k.layers.Dense(WIDTH, name="stem")(x)
    a = k.layers.Dense(WIDTH, name="a")(stem)
    b = k.layers.Dense(WIDTH, name="b")(a)
    out = k.layers.Add(name="add")([b, stem])
    return k.Model(x, out)


def two_residual_blocks(k):
    """Two residual blocks in a row, the second with its skip around a longer branch."""
    x = k.Input(shape=(WIDTH,), name="x")
    h = k.layers.Dense(WIDTH, name="h")(x)
    r1 = k.layers.Dense(WIDTH, name="r1")(h)
    s1 = k.layers.Add(name="s1")([h, r1])
    r2 = k.layers.Dense(WIDTH, name="r2a")(s1)
    r2 = k.layers.Dense(WIDTH, name="r2b")(r2)
    r2 = k.layers.Dense(WIDTH, name="r2c")(r2)
    s2 = k.layers.Add(name="s2")([s1, r2])
    out = k.layers.Dense(WIDTH, name="head")(s2)
    return k.Model(x, out)


def densenet_block(k):
    """Each layer reads the concatenation of every earlier output (DenseNet)."""
    x = k.Input(shape=(WIDTH,), name="x")
    features = [x]
    for i in range(4):
        joined = features[0] if len(features) == 1 else k.layers.Concatenate(
            name=f"cat{i}")(features)
        features.append(k.layers.Dense(WIDTH, name=f"d{i}")(joined))
    out = k.layers.Concatenate(name="cat_out")(features)
    return k.Model(x, out)


def diamond_unequal(k):
    """A diamond: one branch of length 1, one of length 3, joined by a concatenation."""
    x = k.Input(shape=(WIDTH,), name="x")
    short = k.layers.Dense(WIDTH, name="short")(x)
    long = k.layers.Dense(WIDTH, name="long1")(x)
    long = k.layers.Dense(WIDTH, name="long2")(long)
    long = k.layers.Dense(WIDTH, name="long3")(long)
    out = k.layers.Concatenate(name="join")([short, long])
    return k.Model(x, out)


def two_inputs_two_outputs(k):
    """Two inputs at different distances from two outputs; one output feeds the other."""
    a = k.Input(shape=(WIDTH,), name="a")
    b = k.Input(shape=(WIDTH,), name="b")
    ha = k.layers.Dense(WIDTH, name="ha")(a)
    hb = k.layers.Dense(WIDTH, name="hb1")(b)
    hb = k.layers.Dense(WIDTH, name="hb2")(hb)
    joined = k.layers.Add(name="joined")([ha, hb])
    out1 = k.layers.Dense(WIDTH, name="out1")(joined)
    out2 = k.layers.Add(name="out2")([out1, ha])
    return k.Model([a, b], [out2, out1])


def nested_model(k):
    """A model used as a layer, inside a skip connection."""
    inner_in = k.Input(shape=(WIDTH,), name="inner_in")
    inner = k.layers.Dense(WIDTH, name="inner_a")(inner_in)
    inner = k.layers.Dense(WIDTH, name="inner_b")(inner)
    block = k.Model(inner_in, inner, name="block")
    x = k.Input(shape=(WIDTH,), name="x")
    h = k.layers.Dense(WIDTH, name="h")(x)
    y = block(h)
    y = k.layers.Dense(WIDTH, name="after")(y)
    out = k.layers.Add(name="add")([h, y, x])
    return k.Model(x, out)


def shared_layer(k):
    """One Dense called at two depths: the layer takes the deeper one."""
    x = k.Input(shape=(WIDTH,), name="x")
    shared = k.layers.Dense(WIDTH, name="shared")
    first = shared(x)
    h = k.layers.Dense(WIDTH, name="h1")(first)
    h = k.layers.Dense(WIDTH, name="h2")(h)
    second = shared(h)
    out = k.layers.Add(name="add")([second, first])
    return k.Model(x, out)


def shared_layer_at_short_branch(k):
    """A shared layer whose later call sits *closer* to the output than its first call."""
    x = k.Input(shape=(WIDTH,), name="x")
    shared = k.layers.Dense(WIDTH, name="shared")
    deep = shared(x)
    deep = k.layers.Dense(WIDTH, name="m1")(deep)
    deep = k.layers.Dense(WIDTH, name="m2")(deep)
    near = k.layers.Dense(WIDTH, name="n1")(x)
    near = shared(near)
    out = k.layers.Add(name="add")([near, deep])
    return k.Model(x, out)


def unused_input(k):
    """An input no output depends on still belongs to the model (at depth 0)."""
    a = k.Input(shape=(WIDTH,), name="a")
    spare = k.Input(shape=(WIDTH,), name="spare")
    h = k.layers.Dense(WIDTH, name="h")(a)
    out = k.layers.Dense(WIDTH, name="out")(h)
    return k.Model([a, spare], out)


GRAPHS = {f.__name__: f for f in (
    residual_long_branch, residual_skip_last, two_residual_blocks, densenet_block,
    diamond_unequal, two_inputs_two_outputs, nested_model, shared_layer,
    shared_layer_at_short_branch, unused_input)}

# What Keras 3.15 gives for each graph: (model.layers names, {layer: depth},
# {(layer, node index): depth}).
EXPECTED = {
    "densenet_block": (
        ["x", "d0", "cat1", "d1", "cat2", "d2", "cat3", "d3", "cat_out"],
        {"x": 8,
         "d0": 7,
         "cat1": 6,
         "d1": 5,
         "cat2": 4,
         "d2": 3,
         "cat3": 2,
         "d3": 1,
         "cat_out": 0},
        {("x", 0): 8,
         ("d0", 0): 7,
         ("cat1", 0): 6,
         ("d1", 0): 5,
         ("cat2", 0): 4,
         ("d2", 0): 3,
         ("cat3", 0): 2,
         ("d3", 0): 1,
         ("cat_out", 0): 0}),
    "diamond_unequal": (
        ["x", "long1", "long2", "short", "long3", "join"],
        {"x": 4, "long1": 3, "long2": 2, "short": 1, "long3": 1, "join": 0},
        {("x", 0): 4,
         ("long1", 0): 3,
         ("long2", 0): 2,
         ("short", 0): 1,
         ("long3", 0): 1,
         ("join", 0): 0}),
    "nested_model": (
        ["x", "h", "block", "after", "add"],
        {"x": 4, "h": 3, "block": 2, "after": 1, "add": 0},
        {("x", 0): 4, ("h", 0): 3, ("block", 0): 2, ("after", 0): 1, ("add", 0): 0}),
    "residual_long_branch": (
        ["x", "stem", "a", "b", "c", "add"],
        {"x": 5, "stem": 4, "a": 3, "b": 2, "c": 1, "add": 0},
        {("x", 0): 5,
         ("stem", 0): 4,
         ("a", 0): 3,
         ("b", 0): 2,
         ("c", 0): 1,
         ("add", 0): 0}),
    "residual_skip_last": (
        ["x", "stem", "a", "b", "add"],
        {"x": 4, "stem": 3, "a": 2, "b": 1, "add": 0},
        {("x", 0): 4, ("stem", 0): 3, ("a", 0): 2, ("b", 0): 1, ("add", 0): 0}),
    "shared_layer": (
        ["x", "shared", "h1", "h2", "add"],
        {"x": 5, "shared": 4, "h1": 3, "h2": 2, "add": 0},
        {("x", 0): 5,
         ("shared", 0): 4,
         ("h1", 0): 3,
         ("h2", 0): 2,
         ("shared", 1): 1,
         ("add", 0): 0}),
    "shared_layer_at_short_branch": (
        ["x", "n1", "shared", "m1", "m2", "add"],
        {"x": 5, "n1": 4, "shared": 3, "m1": 2, "m2": 1, "add": 0},
        {("x", 0): 5,
         ("n1", 0): 4,
         ("shared", 0): 3,
         ("shared", 1): 3,
         ("m1", 0): 2,
         ("m2", 0): 1,
         ("add", 0): 0}),
    "two_inputs_two_outputs": (
        ["b", "a", "hb1", "ha", "hb2", "joined", "out1", "out2"],
        {"b": 5, "a": 4, "hb1": 4, "ha": 3, "hb2": 3, "joined": 2, "out1": 1, "out2": 0},
        {("b", 0): 5,
         ("a", 0): 4,
         ("hb1", 0): 4,
         ("ha", 0): 3,
         ("hb2", 0): 3,
         ("joined", 0): 2,
         ("out1", 0): 1,
         ("out2", 0): 0}),
    "two_residual_blocks": (
        ["x", "h", "r1", "s1", "r2a", "r2b", "r2c", "s2", "head"],
        {"x": 8,
         "h": 7,
         "r1": 6,
         "s1": 5,
         "r2a": 4,
         "r2b": 3,
         "r2c": 2,
         "s2": 1,
         "head": 0},
        {("x", 0): 8,
         ("h", 0): 7,
         ("r1", 0): 6,
         ("s1", 0): 5,
         ("r2a", 0): 4,
         ("r2b", 0): 3,
         ("r2c", 0): 2,
         ("s2", 0): 1,
         ("head", 0): 0}),
    "unused_input": (
        ["a", "h", "spare", "out"],
        {"a": 2, "h": 1, "spare": 0, "out": 0},
        {("a", 0): 2, ("h", 0): 1, ("spare", 0): 0, ("out", 0): 0}),
}


def _hand_built_cases():
    return sorted(GRAPHS)


@pytest.mark.parametrize("name", _hand_built_cases())
def test_hand_built_graph_order_and_depths(name):
    model = GRAPHS[name](kerlite)
    order, depths, nodes = describe(model)
    want_order, want_depths, want_nodes = EXPECTED[name]
    assert order == want_order
    assert depths == want_depths
    assert nodes == want_nodes


@pytest.mark.parity
@pytest.mark.parametrize("name", _hand_built_cases())
def test_hand_built_graph_matches_keras(name):
    keras = import_keras()
    keras.utils.clear_session()
    assert describe(GRAPHS[name](kerlite)) == describe(GRAPHS[name](keras))


# --- seeded random graphs ---------------------------------------------------------------
def random_graph_spec(seed):
    """A small random DAG as a list of steps, the same for kerlite and Keras.

    Steps: ("dense", name, [source]), ("add", name, [sources]) or ("reuse", name of an
    earlier dense, [source]); sources index the tensors made so far (inputs first), so
    branches of any length meet. ``shared`` allows reusing layers (shared layers).
    Returns (number of inputs, steps, output indices).
    """
    rng = random.Random(seed)
    n_inputs = rng.choice((1, 1, 2))
    n_tensors = n_inputs
    steps, denses, used = [], [], set()
    for i in range(rng.randint(2, 9)):
        kind = rng.random()
        if kind < 0.15 and denses and seed % 2:
            sources = [rng.randrange(n_tensors)]
            steps.append(("reuse", rng.choice(denses), sources))
        elif kind < 0.6 or n_tensors < 2:
            sources = [rng.randrange(n_tensors)]
            steps.append(("dense", f"d{i}", sources))
            denses.append(f"d{i}")
        else:
            sources = rng.sample(range(n_tensors), rng.choice((2, 2, 3)) if n_tensors > 2
                                 else 2)
            steps.append(("add", f"add{i}", sources))
        used.update(sources)
        n_tensors += 1
    sinks = [t for t in range(n_inputs, n_tensors) if t not in used]
    extra = [t for t in range(n_inputs, n_tensors) if t not in sinks and rng.random() < 0.2]
    outputs = sinks + extra
    rng.shuffle(outputs)
    for t in range(n_inputs):  # an input no layer reads would be an unused input
        if t not in used:
            steps.append(("dense", f"tail{t}", [t]))
            outputs.append(n_tensors)
            n_tensors += 1
    return n_inputs, steps, outputs


def build_random_graph(k, spec):
    n_inputs, steps, outputs = spec
    tensors = [k.Input(shape=(WIDTH,), name=f"in{i}") for i in range(n_inputs)]
    layers = {}
    for kind, name, sources in steps:
        args = [tensors[i] for i in sources]
        if kind == "dense":
            layers[name] = k.layers.Dense(WIDTH, name=name)
            tensors.append(layers[name](args[0]))
        elif kind == "reuse":
            tensors.append(layers[name](args[0]))
        else:
            tensors.append(k.layers.Add(name=name)(args))
    return k.Model(tensors[:n_inputs], [tensors[i] for i in outputs])


def longest_path_depths(model):
    """Each node's depth by the rule itself: 0 for output nodes, else 1 + the largest
    depth of the nodes that read its outputs (computed here from scratch)."""
    nodes = [node for depth_nodes in model._nodes_by_depth.values() for node in depth_nodes]
    in_graph = {id(node) for node in nodes}
    children = {id(node): [] for node in nodes}
    for node in nodes:
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                children[id(parent)].append(node)
    memo = {}

    def depth(node):
        if id(node) not in memo:
            memo[id(node)] = max((depth(child) + 1 for child in children[id(node)]),
                                 default=0)
        return memo[id(node)]

    return {id(node): depth(node) for node in nodes}


SEEDS = range(300)


def test_random_graphs_follow_the_depth_rule():
    for seed in SEEDS:
        kerlite.backend.clear_session()
        spec = random_graph_spec(seed)
        model = build_random_graph(kerlite, spec)
        context = f"seed {seed}: {spec}"

        # Nodes run in an order where each comes after the nodes it reads from.
        position = {id(node): i for i, node in enumerate(model._nodes)}
        for node in model._nodes:
            for parent in node.parent_nodes:
                assert position[id(parent)] < position[id(node)], context

        depth_of = {id(node): depth for depth, nodes in model._nodes_by_depth.items()
                    for node in nodes}
        assert len(depth_of) == len(model._nodes), context
        shared = any(len(layer._inbound_nodes) > 1 for layer in model.layers)
        if not shared:  # without shared layers a depth is exactly the longest path
            assert depth_of == longest_path_depths(model), context
        for node in model._nodes:  # with them, a parent still sits below its children
            for parent in node.parent_nodes:
                assert depth_of[id(parent)] > depth_of[id(node)], context

        # A layer's depth is the deepest of its calls; layers are listed deepest first.
        depths = layer_depths(model)
        for layer in model.layers:
            calls = [depth_of[id(n)] for n in layer._inbound_nodes if id(n) in depth_of]
            assert depths[layer.name] == max(calls), context
        listed = [depths[name] for name in layer_order(model)]
        assert listed == sorted(listed, reverse=True), context


def test_random_graphs_include_skips_and_shared_layers():
    """The generator makes the graphs the rule is about (guards the test above)."""
    specs = [random_graph_spec(seed) for seed in SEEDS]
    shared = sum(any(kind == "reuse" for kind, _, _ in steps) for _, steps, _ in specs)
    joins = sum(any(kind == "add" for kind, _, _ in steps) for _, steps, _ in specs)
    assert shared > 30 and joins > 150


@pytest.mark.slow
@pytest.mark.parity
def test_random_graphs_match_keras_order_and_depths():
    keras = import_keras()
    for seed in range(0, len(SEEDS), 10):
        spec = random_graph_spec(seed)
        kerlite.backend.clear_session()
        keras.utils.clear_session()
        ours = describe(build_random_graph(kerlite, spec))
        theirs = describe(build_random_graph(keras, spec))
        assert ours == theirs, f"seed {seed}: {spec}"

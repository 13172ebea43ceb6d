"""Imports point one way: a lower layer of kerlite never imports a higher one.

The layers and the allow-list live in ``tools/import_graph.py`` (run it to see the
table, every upward import and the largest cycle). Imports inside functions count
too: hiding an import in a function does not change which way it points.
"""

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_tool():
    path = os.path.join(ROOT, "tools", "import_graph.py")
    spec = importlib.util.spec_from_file_location("kerlite_import_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def graph():
    return tool.import_graph()


def test_every_module_belongs_to_a_layer(graph):
    assert tool.unplaced(graph) == []


def test_no_import_points_up_except_the_allowed_few(graph):
    upward = [(name, target, line) for name, target, line, _ in tool.upward_imports(graph)
              if (name, target) not in tool.ALLOWED_UPWARD]
    assert upward == [], (
        "These imports reach a higher layer (see tools/import_graph.py LAYERS); move the "
        "code down, pass the object in, or register it:\n"
        + "\n".join(f"  {n}:{line} -> {t}" for n, t, line in upward))


def test_the_allow_list_is_short_explained_and_still_needed(graph):
    assert len(tool.ALLOWED_UPWARD) <= 15
    used = {(name, target) for name, target, _, _ in tool.upward_imports(graph)}
    for pair, reason in tool.ALLOWED_UPWARD.items():
        assert len(reason) > 20, f"give {pair} a reason"
        assert pair in used, f"{pair} no longer points up: remove it from ALLOWED_UPWARD"


def test_no_large_import_cycle_remains(graph):
    cycles = tool.cycles(graph)
    largest = cycles[0] if cycles else []
    assert len(largest) <= tool.MAX_CYCLE, (
        f"an import cycle of {len(largest)} modules: {' <-> '.join(largest)}")


def test_the_walker_sees_lazy_imports_and_packages(tmp_path, monkeypatch):
    """The check itself: an import inside a function, from a package, counts."""
    package = tmp_path / "kerlite"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "low" / "thing.py").write_text(
        "def f():\n    from kerlite.high import other\n    return other\n")
    (package / "high").mkdir()
    (package / "high" / "__init__.py").write_text("")
    (package / "high" / "other.py").write_text("from kerlite.low import thing\n")
    monkeypatch.setattr(tool, "ROOT", str(package))
    monkeypatch.setattr(tool, "LAYERS", [("low", ["kerlite.low"]), ("high", ["kerlite.high"]),
                                         ("top", ["kerlite"])])
    fake = tool.import_graph()
    assert [(n, t, lazy) for n, t, _, lazy in tool.upward_imports(fake)] == [
        ("kerlite.low.thing", "kerlite.high.other", True)]
    assert tool.cycles(fake) == [["kerlite.high.other", "kerlite.low.thing"]]

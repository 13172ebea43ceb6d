"""The three dependency lists must agree: pyproject.toml (pip), environment.yml and
binder/environment.yml (conda-forge).

A learner on Binder or in a local conda environment must get the same libraries, at the
same minimum versions, as `pip install -e .[notebook]` gives. When one list drifts, these
tests name the package that is missing or different, and the file it is missing from.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONDA_FILES = [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"]

# pyproject extras whose packages the conda environments must provide.
CONDA_EXTRAS = ("notebook", "saving")

# PyPI name -> conda-forge name, where they differ.
PYPI_TO_CONDA = {
    "graphviz": "python-graphviz",  # the Python bindings; conda's `graphviz` is the `dot` program
}

# conda-only entries with no PyPI counterpart in pyproject.toml.
CONDA_ONLY = {
    "python",  # pinned; checked against requires-python below
    "pip",  # runs binder/postBuild
    "graphviz",  # the `dot` binary that python-graphviz calls (Debian's graphviz in CI)
}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*(;.*)?$")
_CONDA = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text):
    """'ipywidgets>=8' -> ('ipywidgets', '>=8'); 'jax[cpu]' -> ('jax', '')."""
    match = _REQ.match(text)
    assert match, f"cannot parse requirement {text!r}"
    return normalize(match.group(1)), match.group(3).replace(" ", "")


def parse_conda_spec(text):
    """'numpy>=1.24' -> ('numpy', '>=1.24'); 'python=3.11' -> ('python', '=3.11')."""
    match = _CONDA.match(text)
    assert match, f"cannot parse conda spec {text!r}"
    return normalize(match.group(1)), match.group(2).replace(" ", "")


def read_conda_dependencies(path):
    """The top-level `dependencies:` list of a conda environment file, as {name: spec}.

    A tiny line-based reader (no PyYAML needed): items are `  - name[spec]` lines under
    `dependencies:`; a nested `- pip:` list is skipped; comments are dropped.
    """
    deps = {}
    in_deps = False
    item_indent = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            in_deps = line.strip() == "dependencies:"
            item_indent = None
            continue
        if not in_deps:
            continue
        stripped = line.strip()
        if not stripped.startswith("- "):
            continue
        if item_indent is None:
            item_indent = indent
        if indent != item_indent:
            continue  # nested list, e.g. the entries under `- pip:`
        item = stripped[2:].strip().strip("'\"")
        if item.endswith(":"):
            continue  # `- pip:` header
        name, spec = parse_conda_spec(item)
        assert name not in deps, f"{path.name}: {name} is listed twice"
        deps[name] = spec
    assert deps, f"{path.name}: no `dependencies:` list found"
    return deps


def read_pyproject():
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def expand_extra(project, extra, seen=None):
    """Requirements of one extra, following self-references such as 'kerlite[notebook]'."""
    seen = set() if seen is None else seen
    if extra in seen:
        return []
    seen.add(extra)
    result = []
    for text in project["optional-dependencies"][extra]:
        match = _REQ.match(text)
        if normalize(match.group(1)) == normalize(project["name"]) and match.group(2):
            for inner in match.group(2).strip("[]").split(","):
                result += expand_extra(project, inner.strip(), seen)
        else:
            result.append(text)
    return result


def expected_conda_dependencies():
    """{conda name: spec} that the pyproject runtime + notebook/saving extras imply."""
    project = read_pyproject()["project"]
    texts = list(project["dependencies"])
    for extra in CONDA_EXTRAS:
        texts += expand_extra(project, extra)
    expected = {}
    for text in texts:
        name, spec = parse_requirement(text)
        expected[PYPI_TO_CONDA.get(name, name)] = spec
    return expected


@pytest.mark.parametrize("path", CONDA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_conda_file_has_every_pyproject_dependency(path):
    expected = expected_conda_dependencies()
    actual = read_conda_dependencies(path)
    missing = sorted(set(expected) - set(actual))
    assert not missing, (
        f"{path.relative_to(ROOT)} lacks {missing}, which pyproject.toml requires "
        f"(runtime or extras {CONDA_EXTRAS}); add them or update PYPI_TO_CONDA in {Path(__file__).name}"
    )
    different = {
        name: (expected[name], actual[name])
        for name in expected
        if expected[name] != actual[name]
    }
    assert not different, (
        f"{path.relative_to(ROOT)}: version specs differ from pyproject.toml "
        f"(name: (pyproject, conda)): {different}"
    )


@pytest.mark.parametrize("path", CONDA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_conda_file_has_nothing_pyproject_lacks(path):
    expected = expected_conda_dependencies()
    actual = read_conda_dependencies(path)
    extra = sorted(set(actual) - set(expected) - CONDA_ONLY)
    assert not extra, (
        f"{path.relative_to(ROOT)} lists {extra}, which pyproject.toml does not require "
        f"(runtime or extras {CONDA_EXTRAS}); add them to pyproject.toml or remove them"
    )
    for name in sorted(CONDA_ONLY):
        assert name in actual, f"{path.relative_to(ROOT)} lacks {name!r}"


def test_both_conda_files_list_the_same_packages():
    top, binder = (read_conda_dependencies(p) for p in CONDA_FILES)
    only_top = sorted(set(top) - set(binder))
    only_binder = sorted(set(binder) - set(top))
    assert not only_top, f"binder/environment.yml lacks {only_top} (listed in environment.yml)"
    assert not only_binder, f"environment.yml lacks {only_binder} (listed in binder/environment.yml)"
    different = {n: (top[n], binder[n]) for n in top if top[n] != binder[n]}
    assert not different, f"specs differ (environment.yml, binder/environment.yml): {different}"


def test_python_is_pinned_alike_and_allowed_by_requires_python():
    pins = {}
    for path in CONDA_FILES:
        spec = read_conda_dependencies(path)["python"]
        match = re.fullmatch(r"==?(\d+)\.(\d+)(\.\*)?", spec)
        assert match, f"{path.relative_to(ROOT)}: python must be pinned as python=X.Y, got {spec!r}"
        pins[str(path.relative_to(ROOT))] = (int(match.group(1)), int(match.group(2)))
    assert len(set(pins.values())) == 1, f"python pins differ: {pins}"

    requires = read_pyproject()["project"]["requires-python"]
    floor = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires)
    assert floor, f"requires-python should be '>=X.Y', got {requires!r}"
    pinned = next(iter(pins.values()))
    assert pinned >= (int(floor.group(1)), int(floor.group(2))), (
        f"conda pins python {pinned} but pyproject.toml says requires-python {requires}"
    )


def test_reader_reports_a_missing_package_by_name(tmp_path):
    """The checker itself: a drifted file is caught and the package is named."""
    drifted = tmp_path / "environment.yml"
    text = CONDA_FILES[0].read_text(encoding="utf-8")
    drifted.write_text(re.sub(r"(?m)^  - matplotlib\n", "", text), encoding="utf-8")
    actual = read_conda_dependencies(drifted)
    assert "matplotlib" not in actual
    assert sorted(set(expected_conda_dependencies()) - set(actual)) == ["matplotlib"]

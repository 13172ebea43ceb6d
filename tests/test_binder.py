"""Binder builds the course from binder/: checked with `repo2docker --no-build`.

`repo2docker --no-build` needs no Docker engine: it decides which buildpack to use and
prints the Dockerfile it would build (on stdout) and its decisions (on stderr), in about a
second. The tests read both and check what a Binder user depends on:

- the conda environment comes from binder/environment.yml (not the top-level files), with
  the Python version pinned there;
- binder/postBuild runs, and it installs this checkout (kerlite itself) into that environment;
- the environment is CPU-only and has graphviz for the model diagrams.

repo2docker comes with the `test` extra (jupyter-repo2docker). Skipped locally only when it
is not installed; never on CI.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
ENVIRONMENT = BINDER / "environment.yml"
POSTBUILD = BINDER / "postBuild"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pinned_python(environment_file):
    """'python=3.11' in a conda environment file -> '3.11' (None when unpinned)."""
    for line in environment_file.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*-\s*python\s*=+\s*([0-9][0-9.]*)\s*(#.*)?$", line)
        if match:
            return match.group(1)
    return None


@pytest.fixture(scope="module")
def repo2docker_plan(tmp_path_factory):
    """(Dockerfile, log) that repo2docker would build for this checkout."""
    if importlib.util.find_spec("repo2docker") is None:
        message = "repo2docker is not installed (pip install jupyter-repo2docker; it is in the test extra)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("repo2docker")
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build",
         "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        cwd=workdir, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"repo2docker --no-build failed:\n{result.stderr[-2000:]}"
    assert "FROM " in result.stdout, f"no Dockerfile on stdout:\n{result.stdout[-2000:]}"
    return result.stdout, result.stderr


def test_binder_environment_pins_python():
    version = pinned_python(ENVIRONMENT)
    assert version, (
        f"{ENVIRONMENT.relative_to(ROOT)} must pin Python (e.g. '- python=3.11'); "
        "without a pin repo2docker picks its own default version"
    )
    assert tuple(int(part) for part in version.split(".")[:2]) >= (3, 10), (
        f"binder pins python={version}, but kerlite needs Python >= 3.10 (pyproject.toml)"
    )


def test_repo2docker_uses_the_binder_conda_environment(repo2docker_plan):
    dockerfile, log = repo2docker_plan
    version = pinned_python(ENVIRONMENT)
    assert f"Building conda environment for python={version}" in log, (
        f"repo2docker did not pick the conda buildpack with python={version}:\n{log[-1500:]}"
    )
    assert '--file "binder/environment.yml"' in dockerfile, (
        "the Dockerfile does not build its environment from binder/environment.yml"
    )
    assert "src/binder/environment.yml" in dockerfile
    # with binder/ present, top-level environment.yml / requirements.txt must be ignored
    assert '--file "environment.yml"' not in dockerfile
    assert "requirements.txt" not in dockerfile


def test_repo2docker_runs_post_build(repo2docker_plan):
    dockerfile, _ = repo2docker_plan
    assert "RUN ./binder/postBuild" in dockerfile, "the Dockerfile does not run binder/postBuild"
    # postBuild runs after the repository has been copied in, from the repository root
    copy_repo = dockerfile.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    assert copy_repo < dockerfile.index("RUN ./binder/postBuild")
    assert "WORKDIR ${REPO_DIR}" in dockerfile


def test_post_build_installs_this_checkout():
    assert POSTBUILD.is_file(), "binder/postBuild is missing: Binder would not install kerlite"
    assert os.access(POSTBUILD, os.X_OK), "binder/postBuild must be executable (chmod +x)"
    text = POSTBUILD.read_text(encoding="utf-8")
    assert text.startswith("#!"), "binder/postBuild needs a shebang line (#!/bin/bash)"
    assert re.search(r"^\s*set -[a-z]*e", text, re.M), "postBuild should stop at the first error (set -e)"
    commands = [line.split("#", 1)[0] for line in text.splitlines()[1:]]
    installs_checkout = [
        line for line in commands
        if re.search(r"\bpip install\b", line) and re.search(r"(?:^|\s)\./?(?:\[[^\]]*\])?(?:\s|$)", line)
    ]
    assert installs_checkout, (
        "binder/postBuild must install this checkout, e.g. `python -m pip install --no-deps .`"
    )


def test_binder_environment_is_cpu_only_with_graphviz():
    text = ENVIRONMENT.read_text(encoding="utf-8")
    names = re.findall(r"^\s*-\s*([A-Za-z0-9_.-]+)", text, re.M)
    assert "graphviz" in names, "binder needs conda-forge `graphviz` (the dot program) for plot_model"
    assert not [name for name in names if name.startswith("cupy")], (
        "Binder has no GPU: keep CuPy out of binder/environment.yml (it is the `gpu` extra)"
    )

"""`import kerlite` is light: NumPy only, no notebook, plotting, GPU or Keras libraries."""

import json
import subprocess
import sys

HEAVY = ["matplotlib", "ipywidgets", "IPython", "graphviz", "cupy", "h5py", "keras", "jax",
         "tensorflow", "torch", "scipy", "pandas", "tqdm"]

PROBE = f"""
import json, sys, time
start = time.perf_counter()
import kerlite
from kerlite import ops, random, testing
seconds = time.perf_counter() - start
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & set({HEAVY!r}))
print(json.dumps({{"heavy": heavy, "seconds": seconds, "numpy": "numpy" in sys.modules,
                  "version": kerlite.__version__}}))
"""


def _probe():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_loads_numpy_only_and_is_quick():
    report = _probe()
    assert report["heavy"] == [], f"import kerlite pulled in {report['heavy']}"
    assert report["numpy"]
    # Usually ~0.2 s; the bound only catches an accidental heavy import, even on a busy CI.
    assert report["seconds"] < 5.0, report


def test_version_is_a_string():
    import kerlite

    assert isinstance(kerlite.__version__, str) and kerlite.__version__.count(".") >= 1
    assert _probe()["version"] == kerlite.__version__

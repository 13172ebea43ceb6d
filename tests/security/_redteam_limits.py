"""Run a snippet in a fresh Python with bounded memory and time (for allocation/loop attacks).

An attack that makes the loader allocate gigabytes or loop forever must not take the test
run down with it: the snippet runs in a subprocess under ``RLIMIT_AS`` and a timeout, and
reports its outcome on the last line of its output.
"""

import os
import subprocess
import sys
import textwrap

_PRELUDE = """
import resource
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
"""


def run_limited(code, memory_bytes=2 * 2**30, timeout=60):
    """Run ``code``; return (exit code, last output line). A timeout returns (None, "TIMEOUT")."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    source = _PRELUDE.format(limit=int(memory_bytes)) + textwrap.dedent(code)
    try:
        done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=root)
    except subprocess.TimeoutExpired:
        return None, "TIMEOUT"
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return done.returncode, lines[-1] if lines else ""

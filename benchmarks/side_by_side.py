"""What the side-by-side benchmark scripts share: one fresh subprocess per measurement,
sides alternating between repeats, medians, and the command line.

A script defines ``WORKLOADS`` and ``SIDES`` and a ``worker(side, workload)`` that prints
one JSON line of figures; ``main(script, ...)`` runs every side of every workload.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


_IMPORTED_AT = time.perf_counter()
KERAS_BACKENDS = {"keras-jax": "jax", "keras-torch": "torch"}


def import_library(side):
    """The ``keras`` module a side runs: kerlite, or Keras 3 on one of its CPU backends."""
    if side in KERAS_BACKENDS:
        os.environ["KERAS_BACKEND"] = KERAS_BACKENDS[side]
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
        import keras

        return keras
    import kerlite

    return kerlite


def available_sides(sides):
    """The sides this machine can run (Keras on PyTorch needs torch installed)."""
    import importlib.util

    return [side for side in sides
            if side != "keras-torch" or importlib.util.find_spec("torch") is not None]


def print_result(result):
    """The worker's last line: its figures plus its own peak memory."""
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def seconds_since_process_start():
    """Seconds since this process started, as the kernel recorded it (Linux; else since the
    import of this module), so interpreter start-up and every import count."""
    try:
        with open("/proc/self/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime, in ticks
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, AttributeError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


def median_ms(run, calls, warmups=5):
    """Milliseconds per call of ``run``: the median of ``calls`` timed calls, after
    ``warmups`` untimed ones (caches, and XLA's compilation on the Keras side)."""
    for _ in range(warmups):
        run()
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1e3


def measure(script, side, workload, blas_threads=None):
    """Run ``script --worker side [workload]`` in a fresh process; returns its figures."""
    environment = dict(os.environ)
    if blas_threads:  # NumPy's BLAS (OpenBLAS); XLA (Keras on JAX) has its own threads
        environment.update(OPENBLAS_NUM_THREADS=str(blas_threads),
                           OMP_NUM_THREADS=str(blas_threads))
    command = [sys.executable, script, "--worker", side] + ([workload] if workload else [])
    output = subprocess.run(command,
                            capture_output=True, text=True, check=True, env=environment,
                            cwd=os.path.dirname(os.path.dirname(os.path.abspath(script))))
    return json.loads(output.stdout.strip().splitlines()[-1])


def alternating_runs(script, sides, workload, repeats, blas_threads=None):
    """Each side measured ``repeats`` times, the order reversed every other repeat:
    ``{side: [figures of each run]}``."""
    runs = {side: [] for side in sides}
    for repeat in range(repeats):
        for side in sides if repeat % 2 == 0 else sides[::-1]:
            runs[side].append(measure(script, side, workload, blas_threads))
    return runs


def medians(script, sides, workload, repeats, blas_threads):
    """The median of every figure of each side over ``alternating_runs``."""
    runs = alternating_runs(script, sides, workload, repeats, blas_threads)
    return {side: {key: statistics.median(r[key] for r in runs[side]) for key in runs[side][0]}
            for side in sides}


def main(script, doc, workloads, sides, worker, blas_help):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workloads", nargs="+", default=list(workloads))
    parser.add_argument("--blas-threads", type=int, default=None, help=blas_help)
    parser.add_argument("--worker", nargs=2, metavar=("SIDE", "WORKLOAD"))
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    sides = available_sides(sides)
    for workload in args.workloads:
        median = medians(script, sides, workload, args.repeats, args.blas_threads)
        threads = args.blas_threads or "default"
        print(f"\n{workload}: {workloads[workload]} ({args.repeats} repeats, medians, "
              f"NumPy BLAS threads: {threads})")
        for side in sides:
            details = ", ".join(f"{k} {v:.3g}" for k, v in median[side].items()
                                if k != "samples_per_s")
            print(f"  {side:8s} {median[side]['samples_per_s']:10,.0f} train samples/s  {details}")
        peers = [side for side in sides if side in KERAS_BACKENDS]
        for key in ("samples_per_s", "predict_samples_per_s"):
            if key in median["kerlite"]:
                best = max(peers, key=lambda side: median[side][key])
                print(f"  kerlite / fastest Keras ({best}), {key}: "
                      f"{median['kerlite'][key] / median[best][key]:.2f}x")
        leanest = min(peers, key=lambda side: median[side]["peak_rss_mib"])
        print(f"  kerlite / leanest Keras ({leanest}), peak memory: "
              f"{median['kerlite']['peak_rss_mib'] / median[leanest]['peak_rss_mib']:.2f}x")

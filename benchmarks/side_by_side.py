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


def print_result(result):
    """The worker's last line: its figures plus its own peak memory."""
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


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


def medians(script, sides, workload, repeats, blas_threads):
    """Each side measured ``repeats`` times, the order reversed every other repeat."""
    runs = {side: [] for side in sides}
    for repeat in range(repeats):
        for side in sides if repeat % 2 == 0 else sides[::-1]:
            runs[side].append(measure(script, side, workload, blas_threads))
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
    for workload in args.workloads:
        median = medians(script, sides, workload, args.repeats, args.blas_threads)
        threads = args.blas_threads or "default"
        print(f"\n{workload}: {workloads[workload]} ({args.repeats} repeats, medians, "
              f"NumPy BLAS threads: {threads})")
        for side in sides:
            details = ", ".join(f"{k} {v:.3g}" for k, v in median[side].items()
                                if k != "samples_per_s")
            print(f"  {side:8s} {median[side]['samples_per_s']:10,.0f} train samples/s  {details}")
        ratio = median["kerlite"]["samples_per_s"] / median["keras"]["samples_per_s"]
        memory = median["kerlite"]["peak_rss_mib"] / median["keras"]["peak_rss_mib"]
        print(f"  kerlite / keras-jax: speed {ratio:.2f}x, peak memory {memory:.2f}x")

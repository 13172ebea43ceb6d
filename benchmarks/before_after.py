"""kerlite against an earlier kerlite: the same workload workers, two source trees.

    python benchmarks/before_after.py --tree before=/path/to/old/checkout \\
        --tree after=. --repeats 5

Each measurement is a fresh process that imports kerlite from one tree (``PYTHONPATH``)
and runs this tree's worker of ``bench_training.py`` (mlp, wide) or ``bench_conv.py``
(mnist, resnet), so both sides run exactly the same benchmark code. Trees alternate
between repeats; the table shows medians of training samples/s and their ratio.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed for both sides (a learner's laptop has
no such pin), and the OpenBLAS kernel in use is printed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = {"mlp": "bench_training.py", "wide": "bench_training.py",
           "mnist": "bench_conv.py", "resnet": "bench_conv.py"}


def environment(tree):
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["PYTHONPATH"] = os.path.abspath(tree)
    return env


def run(tree, workload):
    script = os.path.join(HERE, SCRIPTS[workload])
    output = subprocess.run([sys.executable, script, "--worker", "kerlite", workload],
                            capture_output=True, text=True, check=True,
                            env=environment(tree), cwd=os.path.abspath(tree))
    return json.loads(output.stdout.strip().splitlines()[-1])


def openblas_kernel(tree):
    code = ("import kerlite, threadpoolctl; print([i.get('architecture') for i in "
            "threadpoolctl.threadpool_info() if i.get('internal_api') == 'openblas'])")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment(tree)).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH")
    parser.add_argument("--workloads", nargs="+", default=["mlp", "wide", "mnist", "resnet"])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    trees = [tuple(item.split("=", 1)) for item in args.tree]
    print("OpenBLAS kernel:", openblas_kernel(trees[-1][1]))
    print(f"{'workload':<10}" + "".join(f"{name:>14}" for name, _ in trees) + f"{'ratio':>9}")
    for workload in args.workloads:
        speeds = {name: [] for name, _ in trees}
        for repeat in range(args.repeats):
            for name, path in trees if repeat % 2 == 0 else trees[::-1]:
                speeds[name].append(run(path, workload)["samples_per_s"])
        medians = [statistics.median(speeds[name]) for name, _ in trees]
        print(f"{workload:<10}" + "".join(f"{m:>14.0f}" for m in medians)
              + f"{medians[-1] / medians[0]:>9.2f}", flush=True)


if __name__ == "__main__":
    main()

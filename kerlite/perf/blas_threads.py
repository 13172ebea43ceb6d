"""How many BLAS threads the training loops use on the CPU (kerlite's own policy).

OpenBLAS threads spin while they wait for each other; on the small products of a
classroom model, with no core free for them, one step can take twenty times longer. So
``fit``/``evaluate``/``predict`` run their loops under this policy: a small model on a
busy machine gets one thread, everything else keeps the BLAS library's own choice.

The choice is made once per model, on its first loop with weights (``threads_for``
looks at ``/proc``), and kept on the model; ``set_blas_threads`` makes every model
choose again. Opt out with ``keras.backend.set_blas_threads(None)`` or the environment
variable ``KERLITE_BLAS_THREADS=none`` (an int pins that many threads).
"""

import contextlib
import os

import numpy

from kerlite import arrays

_blas_threads = os.environ.get("KERLITE_BLAS_THREADS", "auto")
# Counts the calls to set_blas_threads: a model's remembered choice is for one setting.
generation = 0
_controller = []  # threadpoolctl's ThreadpoolController, made once (it scans libraries)
# Below this many entries in its largest weight, a model's matrix products are small.
SMALL_MODEL_WEIGHT_SIZE = 2**19


def set_blas_threads(threads):
    """How many BLAS threads fit/evaluate/predict use on the CPU.

    ``"auto"`` (default): the BLAS library's own choice, except for a small model on a
    busy machine, which gets 1 thread; an int: that many; ``None``: never change it.
    Needs the small ``threadpoolctl`` package (installed with kerlite).
    """
    global _blas_threads, generation
    if threads not in ("auto", None) and not (isinstance(threads, int) and threads > 0):
        raise ValueError(
            "set_blas_threads expects 'auto', None or a positive int. "
            f"Received: threads={threads!r}"
        )
    _blas_threads = threads
    generation += 1


def machine_is_busy():
    """True when other work keeps every core busy right now.

    OpenBLAS threads spin while they wait for each other; on small products, with no
    core free for them, one step can take twenty times longer. On Linux kerlite counts
    the tasks running or waiting for a core at this moment (``/proc/loadavg``) other
    than its own threads, three times, and calls the machine busy if even the smallest
    count fills every core this process may use. (The 1-minute load average, used where
    ``/proc`` is missing, still remembers a run that just ended, such as kerlite's own
    previous ``fit``.)
    """
    cores = _usable_cores()
    others = _other_runnable_tasks()
    if others is not None:
        return others >= cores
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return False
    return load >= cores + 0.5


def _usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _other_runnable_tasks(samples=3):
    """The fewest runnable tasks of other processes seen in ``samples`` looks at /proc,
    or None where /proc cannot tell."""
    counts = []
    for _ in range(samples):
        try:
            with open("/proc/loadavg") as file:
                runnable = int(file.read().split()[3].split("/")[0])
            own = 0
            for thread in os.listdir("/proc/self/task"):
                try:
                    with open(f"/proc/self/task/{thread}/stat") as file:
                        stat = file.read()
                except OSError:  # the thread ended meanwhile
                    continue
                own += stat[stat.rindex(")") + 2] == "R"  # the state follows the name
        except (OSError, ValueError, IndexError):
            return None
        counts.append(max(runnable - own, 0))
    return min(counts)


def threads_for(largest_weight_size):
    """The policy's choice for a model whose largest weight has this many entries: a
    number of threads, or None (leave the BLAS library as it is)."""
    threads = _blas_threads
    if threads == "auto":
        small = largest_weight_size < SMALL_MODEL_WEIGHT_SIZE
        threads = 1 if small and machine_is_busy() else None
    return threads


def limit_threads(threads):
    """A context manager running its block with ``threads`` BLAS threads (None: as is)."""
    if threads is None or arrays.get_array_module() is not numpy:
        return contextlib.nullcontext()
    if not _controller:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return contextlib.nullcontext()
        _controller.append(ThreadpoolController())
    return _controller[0].limit(limits=int(threads), user_api="blas")


def blas_thread_limit(largest_weight_size):
    """A context manager applying the ``set_blas_threads`` policy to one loop."""
    return limit_threads(threads_for(largest_weight_size))

if _blas_threads not in ("auto", "none", "None"):
    _blas_threads = int(_blas_threads)
elif _blas_threads != "auto":
    _blas_threads = None

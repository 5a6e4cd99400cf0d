"""Where a HebbSET epoch goes: kernel timings for the Lung configuration.

Two parts, both on the Lung network 3312-2000-2000-2000-5 (epsilon = 20):

* ``evolution``: per layer, pruning (``prune_mask``), sampling the new slots
  (``sample_distinct``), the whole evolution (``evolve``) and the CSC index
  (``build_csc``), median of 20 calls;
* ``profile``: cProfile of 20 ``partial_fit`` epochs of HebbSETClassifier on
  152 random rows, batch 30: milliseconds per epoch per kernel.

Run from the repository root::

    PYTHONPATH=. python benchmarks/bench_hebbset_kernels.py
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before numba starts its threads

import argparse
import cProfile
import pstats
import time

import numpy as np

from skhebb import HebbSETClassifier
from skhebb._core.sparse import build_csc
from skhebb._core.topology import er_probability, erdos_renyi, evolve, prune_mask, sample_distinct

LUNG = (3312, 2000, 2000, 2000, 5)


def median_ms(f, repeat=20):
    f()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return 1e3 * float(np.median(times))


def layer(n_in, n_out, seed=0):
    gen = np.random.default_rng(seed)
    p = er_probability(n_in, n_out, 20)
    return erdos_renyi(gen, n_in, n_out, p, np.empty(0, np.float32), 0.1)


def _time_evolution(n_in, n_out):
    """Median ms of pruning, sampling, the whole evolution and the CSC index of one layer."""
    ip, ix, d = layer(n_in, n_out)
    vel = np.zeros_like(d)
    remove = prune_mask(d, 0.3, False)
    k = int(remove.sum())
    n_free = n_in * n_out - (len(d) - k)
    prune = median_ms(lambda: prune_mask(d, 0.3, False))
    sample = median_ms(lambda: sample_distinct(np.random.default_rng(1), n_free, k))
    whole = median_ms(lambda: evolve(np.random.default_rng(1), ip, ix, d, vel, remove,
                                     n_out, True, 0.1))
    csc = median_ms(lambda: build_csc(ip, ix, n_out))
    return len(d), prune, sample, whole, csc


def part_evolution():
    print("evolution per layer, ms (median of 20):")
    for n_in, n_out in zip(LUNG[:-1], LUNG[1:], strict=True):
        n_connections, prune, sample, whole, csc = _time_evolution(n_in, n_out)
        print(f"  {n_in} x {n_out} ({n_connections} connections): prune {prune:.2f}, "
              f"sample_distinct {sample:.2f}, evolve {whole:.2f}, build_csc {csc:.2f}")


def part_profile(epochs=20):
    rng = np.random.default_rng(0)
    X = rng.random((152, LUNG[0]), dtype=np.float32)
    y = rng.integers(0, LUNG[-1], 152)
    clf = HebbSETClassifier.from_paper("lung", hidden_layer_sizes=LUNG[1:-1], random_state=0)
    for _ in range(3):
        clf.partial_fit(X, y, classes=np.arange(LUNG[-1]))
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for _ in range(epochs):
        clf.partial_fit(X, y)
    prof.disable()
    total = (time.perf_counter() - t) / epochs
    stats = pstats.Stats(prof).stats
    rows = sorted(((v[2], f[2]) for f, v in stats.items()), reverse=True)[:10]
    print(f"Lung HebbSET epoch under cProfile: {1e3 * total:.1f} ms; own time per epoch (ms):")
    for tottime, name in rows:
        print(f"  {name:<28} {1e3 * tottime / epochs:6.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default="evolution,profile")
    parts = ap.parse_args().parts.split(",")
    if "evolution" in parts:
        part_evolution()
    if "profile" in parts:
        part_profile()


if __name__ == "__main__":
    main()

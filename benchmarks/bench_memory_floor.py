"""How fast this machine can read the rows a sparse HebbSET layer reads at random.

Every kernel of a sparse layer reads, per stored connection and mini-batch, whole
rows (one value per sample) of an activity or error block, at rows given by the
connection's other end: the forward pass reads the pre-synaptic row ``a_in[i]`` of
each connection (the CSC order walks the outputs), and the fused update, which walks
the inputs, reads the post-synaptic rows ``delta_out[j]`` and, with the Hebbian
term, ``centred_out[j]``. The rows of a random (Erdős–Rényi) topology have no
order, and with ε = 20 each unit has about 40 connections against hundreds of
thousands of rows per block, so a row is evicted long before it is read again:
once the blocks outgrow the cache, every such read comes from memory.

This script measures, with 2 threads and the same software prefetch as the
kernels (:func:`skhebb._core._jit.prefetch`, rows two steps ahead):

* the sequential read bandwidth (a 1 GiB float32 sum), the machine's ceiling;
* the rate of random whole-row reads from blocks of the sizes of the benchmark
  networks (``784-H-H-H-10``, batch 200), per row and sample;

and from them the least time an epoch of these networks can take on this machine
for its random row reads alone (no arithmetic, no writes), counting the rows that
come from the large blocks:

* the two hidden-to-hidden layers: 3 row reads per connection (forward, error,
  centred activity);
* the first layer: 2 (its inputs, 784 rows, stay in cache);
* the last layer reads 10-unit blocks that stay in cache, and streams its inputs
  in order: not counted.

Connections as SET draws them: ε (n_in + n_out) per layer. Run from the
repository root::

    PYTHONPATH=. python benchmarks/bench_memory_floor.py [--json out.json]
"""

import argparse
import json
import os
import platform
import time

import numpy as np
from numba import njit, prange

from skhebb._core._jit import prefetch

BATCH = 200
EPSILON = 20
N_TRAIN = 2400


@njit(parallel=True, fastmath=True, cache=False)
def _sequential_sum(a):
    s = 0.0
    for i in prange(a.size):
        s += a[i]
    return s


@njit(parallel=True, fastmath=True, cache=False)
def _random_rows(block, rows, out):
    """Sum the ``rows`` of ``block`` (two threads, prefetching two rows ahead)."""
    n = block.shape[1]
    line = max(1, 64 // block.itemsize)
    for t in prange(2):
        acc = np.zeros(n, block.dtype)
        for k in range(t, rows.size, 2):
            if k + 4 < rows.size:
                ahead = rows[k + 4]
                for c in range(0, n, line):
                    prefetch(block, ahead, c)
            r = rows[k]
            for c in range(n):
                acc[c] += block[r, c]
        out[t] = acc


def _best(fn, *args, repeat=3):
    fn(*args)  # compile and warm
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def sequential_gbs():
    a = np.ones(1 << 28, dtype=np.float32)
    return a.nbytes / _best(_sequential_sum, a) / 1e9


def random_row_ns(H, dtype, n_reads=4_000_000, seed=0):
    """Seconds per row and sample (in ns) of random whole-row reads from an (H, 200) block."""
    block = np.ones((H, BATCH), dtype=dtype)
    rows = np.random.RandomState(seed).randint(0, H, n_reads).astype(np.uint32)
    out = np.zeros((2, BATCH), dtype=dtype)
    return _best(_random_rows, block, rows, out) / (n_reads * BATCH) * 1e9


def network_reads(H):
    """Connections of 784-H-H-H-10 and its random row reads from H-row blocks per batch."""
    first = min(EPSILON * (784 + H), 784 * H)
    hidden = min(EPSILON * 2 * H, H * H)
    last = min(EPSILON * (H + 10), 10 * H)
    connections = first + 2 * hidden + last
    return connections, 2 * first + 3 * 2 * hidden


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000:float64,16000:float64,1000:float32,"
                                        "64000:float32,333333:float32")
    ap.add_argument("--json")
    args = ap.parse_args()
    rows = []
    seq = sequential_gbs()
    print(f"sequential read: {seq:.1f} GB/s; load {os.getloadavg()[0]:.2f}")
    print("| dtype | H | block (MB) | random row read, ns per row-sample | GB/s | "
          "connections | random rows per batch | floor per epoch (s) | floor, ns per "
          "connection-sample |")
    print("|---|---|---|---|---|---|---|---|---|")
    for item in args.sizes.split(","):
        H, dtype = item.split(":")
        H, dtype = int(H), np.dtype(dtype)
        ns = random_row_ns(H, dtype)
        connections, reads = network_reads(H)
        floor = N_TRAIN * reads * ns * 1e-9
        per_cs = floor / (N_TRAIN * connections) * 1e9
        row = dict(H=H, dtype=dtype.name, block_mb=H * BATCH * dtype.itemsize / 1e6,
                   ns_per_row_sample=ns, gbs=dtype.itemsize / ns, connections=connections,
                   random_rows_per_batch=reads, floor_s_per_epoch=floor,
                   floor_ns_per_connection_sample=per_cs, load=os.getloadavg()[0])
        rows.append(row)
        print(f"| {dtype.name} | {H:,} | {row['block_mb']:.1f} | {ns:.3f} | {row['gbs']:.1f} | "
              f"{connections:,} | {reads:,} | {floor:.2f} | {per_cs:.3f} |", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(sequential_gbs=seq, machine=platform.processor() or platform.machine(),
                           cpus=os.cpu_count(), rows=rows), f, indent=1)


if __name__ == "__main__":
    main()

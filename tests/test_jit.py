"""The serial/parallel twins of :func:`skhebb._core._jit.parallel_twins` and their cache."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skhebb._core import _jit, rules, sparse, topology

TWINS = [sparse.forward, sparse.fused_update, rules._subtract_lower_triangular,
         rules._rank_units, topology._merge_rows]


@pytest.mark.parametrize("kernel", TWINS, ids=lambda k: k.py_func.__name__)
def test_twins_are_distinct_compilations(kernel):
    serial, parallel = kernel.serial, kernel.parallel
    assert not serial.targetoptions.get("parallel")
    assert parallel.targetoptions.get("parallel")
    names = {f.py_func.__qualname__ for f in (kernel, serial, parallel)}
    assert len(names) == 3  # one on-disk cache entry each
    assert kernel.__doc__ == serial.py_func.__doc__


def test_unknown_unit_is_refused():
    with pytest.raises(KeyError, match="flops"):
        _jit.parallel_twins("flops", lambda *a: 0)


_PROBE = """
import numpy as np
from skhebb._core import sparse
a = np.ones((3, 4)); out = np.empty((2, 4)); e = np.empty(0); c = np.empty((0, 0))
ip = np.array([0, 1, 2, 3], np.int32); ix = np.array([0, 1, 0], np.int32)
cind, crow, cperm = sparse.build_csc(ip, ix, 2)
sparse.forward(a, cind, crow, cperm, np.ones(3), np.zeros(2), 1, out, e, e, e, c)
stats = sparse.forward.stats
print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
"""


def test_second_process_loads_the_entry_point_from_the_cache():
    root = Path(__file__).resolve().parents[1]
    runs = [
        subprocess.run([sys.executable, "-c", _PROBE], cwd=root, capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONPATH": str(root)})
        for _ in range(2)
    ]
    hits, misses = map(int, runs[1].stdout.split())
    assert (hits, misses) == (1, 0), runs[1].stdout

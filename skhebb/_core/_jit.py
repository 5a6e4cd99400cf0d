"""The one place that decides how skhebb's kernels are compiled.

Every kernel in :mod:`skhebb._core` is decorated with :func:`jit` (serial) or
:func:`pjit` (parallel over ``numba.prange``). Both compile lazily, cache the
machine code next to the sources (``cache=True``) and keep ``fastmath`` off so
that results do not depend on the compiler's reassociation choices.
"""

import numba

__all__ = ["jit", "jit_reassoc", "pjit", "get_num_threads", "set_num_threads"]

_OPTIONS = {"cache": True, "fastmath": False, "nogil": True}


def jit(func):
    """Compile ``func`` as a serial Numba kernel."""
    return numba.njit(**_OPTIONS)(func)


def jit_reassoc(func):
    """Compile ``func`` serially, allowing re-association of floating-point sums only.

    The one exception to "fastmath off": LLVM vectorises a dot-product
    reduction only when it may reorder the additions. ``reassoc`` changes the
    order of a sum (a fixed order for a given build, so results stay
    deterministic and independent of the thread count) and nothing else: no
    contraction, NaN/inf handling unchanged. Earned by the sparse update
    kernel, whose per-connection dot products dominate an epoch.
    """
    return numba.njit(**{**_OPTIONS, "fastmath": {"reassoc"}})(func)


def pjit(func):
    """Compile ``func`` as a Numba kernel whose ``prange`` loops run in parallel."""
    return numba.njit(parallel=True, **_OPTIONS)(func)


get_num_threads = numba.get_num_threads
set_num_threads = numba.set_num_threads

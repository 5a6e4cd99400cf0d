"""The one place that decides how skhebb's kernels are compiled.

Every kernel in :mod:`skhebb._core` is decorated with :func:`jit` (serial),
:func:`jit_reassoc` (serial, sums may be reordered) or :func:`parallel_twins`
(a loop over ``numba.prange`` that runs in parallel once the work is large
enough). All compile lazily, cache the machine code next to the sources
(``cache=True``) and keep ``fastmath`` off, except where :func:`jit_reassoc`
says otherwise, so that results do not depend on the compiler's reassociation
choices.

Kernels may also call :func:`prefetch`, a cache hint compiled to LLVM's
``prefetch`` intrinsic, which never changes a result.

Parallel kernels
----------------
A parallel region costs a fixed start-up time, more than the whole work of a
small layer or batch. :func:`parallel_twins` therefore compiles a kernel body
written with ``prange`` twice, serially and with ``parallel=True``, and returns
one kernel that runs the parallel twin only when the body's own estimate of
its work reaches :data:`PARALLEL_MIN_WORK` for the unit the work is counted in.
Every ``prange`` body writes disjoint elements per iteration, so both twins
give identical results for any number of threads; the choice is a matter of
speed only.
"""

import numba
from numba.core import cgutils, types
from numba.extending import intrinsic

ir = cgutils.ir  # llvmlite's IR builder, through numba (the core depends on numba only)

__all__ = [
    "PARALLEL_MIN_WORK",
    "get_num_threads",
    "jit",
    "jit_reassoc",
    "parallel_twins",
    "prefetch",
    "set_num_threads",
]

_OPTIONS = {"cache": True, "fastmath": False, "nogil": True}
_REASSOC = {**_OPTIONS, "fastmath": {"reassoc"}}

#: Least work for which a :func:`parallel_twins` kernel runs its parallel twin,
#: by the unit the kernel counts its work in. Below it a parallel region costs
#: more than it saves (thresholds measured on a 2-core machine; a change of
#: threshold never changes a result):
#:
#: * ``"connection_samples"``: stored connections × batch size of a sparse
#:   layer pass (forward, fused update);
#: * ``"loop_iterations"``: inner-loop iterations of a dense loop of the
#:   competitive rules (Sanger's decorrelation, Krotov's ranking);
#: * ``"connections"``: connections of a sparse layer rebuilt by the SET evolution.
PARALLEL_MIN_WORK = {
    "connection_samples": 1 << 19,
    "loop_iterations": 1 << 22,
    "connections": 1 << 15,
}


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
    return numba.njit(**_REASSOC)(func)


def parallel_twins(unit, work, reassoc=False):
    """Decorator: a ``prange`` kernel body compiled serially and in parallel, and one entry point.

    Parameters
    ----------
    unit : str
        Key of :data:`PARALLEL_MIN_WORK`: what ``work`` counts.
    work : callable
        Takes the kernel's arguments (extra ones may be gathered in ``*_``) and
        returns its amount of work, an integer, in ``unit``; compiled with :func:`jit`.
    reassoc : bool, default=False
        Compile both twins as :func:`jit_reassoc` does (the body's sums may be
        reordered; both twins reorder them the same way).

    Returns
    -------
    decorator : callable
        Applied to the body, returns a serial Numba kernel with the body's
        arguments, callable from Python and from other kernels, that runs
        ``kernel.parallel`` (the body with ``parallel=True``) if ``work`` reaches
        the threshold and ``kernel.serial`` (``prange`` as ``range``) otherwise.
        Each twin is a copy of the body with its own qualified name
        (``<name>_serial``, ``<name>_parallel``): Numba's on-disk cache keys a
        function by its name and bytecode, not by its compile options, so two
        compilations of one function object would overwrite each other.
    """
    options = _REASSOC if reassoc else _OPTIONS
    min_work = PARALLEL_MIN_WORK[unit]

    def decorate(body):
        serial = numba.njit(**options)(_renamed(body, "_serial"))
        parallel = numba.njit(parallel=True, **options)(_renamed(body, "_parallel"))
        cost = numba.njit(**_OPTIONS)(_renamed(work, "", body.__qualname__ + "_work"))
        kernel = numba.njit(**_OPTIONS)(_entry_point(body, serial, parallel, cost, min_work))
        kernel.serial, kernel.parallel = serial, parallel
        return kernel

    return decorate


def _renamed(func, suffix, qualname=None):
    """A copy of ``func`` (same code and globals) named ``func.__name__ + suffix``."""
    copy = type(func)(
        func.__code__, func.__globals__, func.__name__ + suffix, func.__defaults__,
        func.__closure__,
    )
    copy.__qualname__ = qualname or func.__qualname__ + suffix
    copy.__doc__ = func.__doc__
    return copy


def _dispatch_template(min_work):
    def dispatch(*args):
        if _work(*args) >= min_work:
            return _parallel(*args)
        return _serial(*args)

    return dispatch


# Names the template reads as globals; every entry point binds its own (see _entry_point).
_work = _serial = _parallel = None


def _entry_point(body, serial, parallel, cost, min_work):
    """The template above, as a function of ``body``'s module with ``body``'s name.

    Its globals are its own twins and work estimate, and its code claims
    ``body``'s source file and line: Numba's cache then files it next to the
    body and recompiles it when that file changes (the entry point links the
    twins' code into its own). The threshold is a closure constant, so a new
    threshold is a new cache key.
    """
    template = _dispatch_template(min_work)
    code = template.__code__.replace(
        co_filename=body.__code__.co_filename,
        co_firstlineno=body.__code__.co_firstlineno,
        co_name=body.__name__,
    )
    namespace = {
        "__builtins__": body.__globals__["__builtins__"],
        "__name__": body.__module__,
        "_work": cost,
        "_serial": serial,
        "_parallel": parallel,
    }
    entry = type(body)(code, namespace, body.__name__, None, template.__closure__)
    entry.__qualname__ = body.__qualname__
    entry.__doc__ = body.__doc__
    return entry


get_num_threads = numba.get_num_threads
set_num_threads = numba.set_num_threads


@intrinsic
def prefetch(typingctx, array, row, col):
    """Hint the cache to load ``array[row, col]`` (a 2-D array) for reading; no effect on results.

    Compiled as LLVM's ``prefetch`` intrinsic (read, high locality); the
    element's address is computed without bounds checks, and a prefetch of an
    address outside the array never faults.
    """
    def codegen(context, builder, sig, args):
        aty = sig.args[0]
        ary = context.make_array(aty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aty, ary, [args[1], args[2]],
                                       wraparound=False)
        byte_ptr = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_ptr, i32, i32, i32]),
            "llvm.prefetch.p0i8",
        )
        builder.call(fn, [builder.bitcast(ptr, byte_ptr), ir.Constant(i32, 0),
                          ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    if not isinstance(array, types.Array) or array.ndim != 2:
        return None
    return types.none(array, types.intp, types.intp), codegen

"""The registry of the ``skhebb reproduce`` sub-commands and what they share.

Each reproduction is one function registered with :func:`reproduction`, with
its own options: it receives the parsed arguments, runs its experiment,
prints its tables beside the published numbers and returns an :class:`Output`
(the tables to write and the figure to draw). The reproductions themselves
live beside their experiments' kind, in ``_reproduce_hebbset``,
``_reproduce_images`` and ``_reproduce_tabular``; :func:`registered` imports
them, in the order the command lists them. The ``--dataset`` choices come
from the data set registry (:mod:`skhebb.datasets._registry`).
"""

import argparse
import os
import time
from dataclasses import dataclass

from skhebb.datasets._registry import DATASETS, dataset_names

__all__ = ["REPRODUCTIONS", "Figure", "Output", "UsageError", "registered", "reproduction"]

#: name -> (help text, argument specs, function)
REPRODUCTIONS = {}


def arg(*flags, **kwargs):
    """An argument spec for :func:`reproduction`: the arguments of ``add_argument``."""
    return flags, kwargs


def reproduction(name, *, help, arguments=()):
    """Register ``func(args) -> Output`` as ``skhebb reproduce <name>``.

    Parameters
    ----------
    name : str
        Sub-command name.
    help : str
        One-line description shown by ``skhebb reproduce --help``.
    arguments : sequence of specs made by :func:`arg`
        Options of this reproduction, beside the common ones.
    """

    def register(func):
        REPRODUCTIONS[name] = (help, tuple(arguments), func)
        return func

    return register


def registered():
    """The registry filled: import the modules that define the reproductions."""
    import skhebb.experiments._reproduce_hebbset  # noqa: F401
    import skhebb.experiments._reproduce_images  # noqa: F401
    import skhebb.experiments._reproduce_tabular  # noqa: F401

    return REPRODUCTIONS


# ------------------------------------------------------------------ parsing helpers
def _seeds(text):
    """``"5"`` -> 0..4, ``"3,7"`` -> [3, 7], ``"10:20"`` -> 10..19."""
    try:
        if ":" in text:
            start, stop = (int(v) for v in text.split(":"))
            seeds = list(range(start, stop))
        elif "," in text:
            seeds = [int(v) for v in text.split(",") if v.strip()]
        else:
            seeds = list(range(int(text)))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"seeds must be a count (5), a list (3,7) or a range (10:20), got {text!r}"
        ) from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"seeds {text!r} give no or repeated seeds")
    return seeds


def _comma_list(text, convert, valid, kind, condition):
    """Parse ``"a,b,c"`` with ``convert``; every value must pass ``valid``."""
    try:
        values = [convert(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected {kind} separated by commas, got {text!r}"
        ) from None
    if not values or not all(valid(v) for v in values):
        raise argparse.ArgumentTypeError(f"expected {condition}, got {text!r}")
    return values


def _floats(text):
    return _comma_list(text, float, lambda v: v >= 0, "numbers", "nonnegative numbers")


def _sizes(text):
    return _comma_list(text, int, lambda v: v >= 1, "integers", "positive layer sizes")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# ------------------------------------------------------------------ results
class UsageError(Exception):
    """A value that the parser accepted but the reproduction cannot use (exit code 2)."""


@dataclass
class Figure:
    """A figure to save: ``plot(*args, ax=<axes>)``, or ``plot(*args, fig=<figure>)``."""

    name: str
    plot: object
    args: tuple
    figsize: tuple = (6, 4)
    whole_figure: bool = False


@dataclass
class Output:
    """What a reproduction leaves: files (name -> DataFrame or dict for JSON), a figure."""

    files: dict
    figure: Figure | None = None

    @classmethod
    def results_and_table(cls, stem, results, table, plot, figsize=(6, 4)):
        """``<stem>.csv``, ``<stem>_table.csv`` and ``plot(results)`` as ``<stem>.png``."""
        return cls({f"{stem}.csv": results, f"{stem}_table.csv": table},
                   Figure(f"{stem}.png", plot, (results,), figsize=figsize))


def _default_n_jobs(n_jobs, n_runs):
    """One process per core, at most one per run (joblib caps numba's threads in each)."""
    if n_jobs is not None:
        return n_jobs
    return max(1, min(n_runs, os.cpu_count() or 1))


def _timed(func, *args, **kwargs):
    t0 = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - t0


def _pd_text(frame, floats="{:.1f}"):
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 30):
        return frame.to_string(float_format=floats.format)


def _names(text, valid, what):
    """``"a,b"`` -> ``["a", "b"]``, each one of ``valid``."""
    names = [v.strip() for v in text.split(",") if v.strip()]
    unknown = [v for v in names if v not in valid]
    if unknown or not names:
        raise UsageError(f"unknown {what} {unknown}; choose among {', '.join(valid)}")
    return names


def _common_kwargs(args, n_runs):
    """The keyword arguments that every experiment takes from the common options."""
    return dict(n_jobs=_default_n_jobs(args.n_jobs, n_runs), data_home=args.data_home,
                progress=not args.quiet)


class _RegisteredDatasets:
    """The ``--dataset`` choices of an experiment, read from the registry when asked."""

    def __init__(self, experiment):
        self.experiment = experiment

    def __iter__(self):
        return iter(dataset_names(self.experiment))

    def __contains__(self, name):
        return name in dataset_names(self.experiment)


def _dataset_option(experiment, default, what):
    """The ``--dataset`` option: ``what`` the data set is, its default and where it is read."""
    where = (
        "bundled; the others are read from the data home" if DATASETS[default].bundled
        else "from the data home"
    )
    return arg("--dataset", default=default, choices=_RegisteredDatasets(experiment),
               help=f"{what} (default: {default}, {where})")

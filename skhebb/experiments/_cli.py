"""The ``skhebb`` command: ``skhebb reproduce <experiment> [options]``.

Parse, run, write: the parser holds the options shared by every reproduction
(seeds, parallelism, Dask scheduler, output folder, data home) and those of
each reproduction (registered in :mod:`skhebb.experiments._reproductions`); the chosen
reproduction runs and returns its tables and figure; :func:`write` saves
them. The command starts with skhebb's core dependencies alone; the
reproductions need pandas (tqdm for the progress bars and matplotlib for the
figures are used when installed): the experiments extra.
"""

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from skhebb.experiments._common import EXTRA, pandas
from skhebb.experiments._reproductions import (
    UsageError,
    _positive_int,
    _seeds,
    registered,
)

REPRODUCTIONS = registered()

__all__ = ["REPRODUCTIONS", "main", "write"]


def _common_parser():
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("common options")
    group.add_argument(
        "--seeds", type=_seeds, default=None, metavar="SEEDS",
        help="a count (5 = seeds 0..4), a list (3,7) or a range (10:20)",
    )
    group.add_argument(
        "--n-jobs", type=int, default=None, metavar="N",
        help="runs in parallel, as joblib processes (default: one per core, at most one per "
        "run; with --scheduler: all Dask workers)",
    )
    group.add_argument(
        "--threads", type=_positive_int, default=None, metavar="T",
        help="numba threads per run (default: numba's, all cores; use 1 when many runs "
        "share a machine)",
    )
    group.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="address of a Dask scheduler (tcp://host:8786): run on that cluster "
        "through joblib's dask backend",
    )
    group.add_argument(
        "--out", type=Path, default=Path("skhebb-results"), metavar="DIR",
        help="folder for the CSV tables and the plot (default: skhebb-results)",
    )
    group.add_argument(
        "--data-home", default=None, metavar="DIR",
        help="folder with the data files (default: $SKHEBB_DATA or ~/skhebb_data)",
    )
    group.add_argument("--no-plot", action="store_true", help="do not write the PNG plot")
    group.add_argument("--quiet", action="store_true", help="no progress bar")
    return common


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="skhebb",
        description="skhebb: reproduce the experiments of the Hebbian-learning papers.",
    )
    from skhebb import __version__

    parser.add_argument("--version", action="version", version=f"skhebb {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reproduce = commands.add_parser(
        "reproduce", help="run a paper's experiment and compare with its published numbers"
    )
    experiments = reproduce.add_subparsers(dest="experiment", required=True, metavar="EXPERIMENT")
    common = _common_parser()
    for name, (help_text, arguments, func) in REPRODUCTIONS.items():
        sub = experiments.add_parser(
            name,
            help=help_text,
            description=(func.__doc__ or help_text).strip(),
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for flags, kwargs in arguments:
            sub.add_argument(*flags, **kwargs)
        sub.set_defaults(run=func)
    return parser


@contextmanager
def _cluster(scheduler):
    """Route joblib to the Dask cluster at ``scheduler`` (or change nothing)."""
    if scheduler is None:
        yield
        return
    try:
        import joblib
        from distributed import Client
    except ImportError:
        raise SystemExit(
            "skhebb: --scheduler needs dask and distributed; install the dask extra: "
            'pip install "skhebb[dask]"'
        ) from None
    with Client(scheduler) as client, joblib.parallel_config(backend="dask"):
        print(f"Running on the Dask cluster at {client.scheduler.address}", flush=True)
        yield


# ------------------------------------------------------------------ writing
def write(out, output, *, plot=True):
    """Write the tables (CSV), the settings (JSON) and the figure (PNG); list what was written.

    Returns the exit code 0.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in output.files.items():
        path = out / name
        if isinstance(content, dict):
            path.write_text(json.dumps(content, indent=2))
        else:
            index = content.index.name is not None or content.index.nlevels > 1
            content.to_csv(path, index=index)
        written.append(path)
    if plot and output.figure is not None:
        path = _save_figure(out, output.figure)
        if path is not None:
            written.append(path)
    print("\nWrote " + ", ".join(str(p) for p in written))
    return 0


def _save_figure(out, spec):
    """Save ``spec`` as PNG; None (with a note) without matplotlib."""
    try:
        from matplotlib.figure import Figure as MplFigure
    except ImportError:
        print(f"(matplotlib is not installed: no plot; {EXTRA})")
        return None
    fig = MplFigure(figsize=spec.figsize, layout="constrained")
    if spec.whole_figure:
        spec.plot(*spec.args, fig=fig)
    else:
        spec.plot(*spec.args, ax=fig.add_subplot())
    path = out / spec.name
    fig.savefig(path, dpi=120)
    return path


# ------------------------------------------------------------------ entry point
def main(argv=None):
    """Run ``skhebb`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.scheduler is not None and args.n_jobs is None:
        args.n_jobs = -1  # every worker of the cluster
    try:
        pandas()  # every reproduction writes pandas tables
        with _cluster(args.scheduler):
            output = args.run(args)
        return write(args.out, output, plot=not args.no_plot)
    except UsageError as exc:
        print(f"skhebb: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ImportError) as exc:
        print(f"skhebb: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print("skhebb: interrupted", file=sys.stderr)
        return 130

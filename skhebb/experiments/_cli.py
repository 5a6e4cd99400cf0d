"""The ``skhebb`` command: ``skhebb reproduce <experiment> [options]``.

Each reproduction is one function registered with :func:`reproduction`; it
receives the parsed arguments and the output folder and returns an exit code.
Options shared by every reproduction (seeds, parallelism, Dask scheduler,
output folder, data home) are declared once in :func:`_common_parser`.
"""

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

__all__ = ["main", "reproduction"]

#: name -> (help text, argument specs, function)
REPRODUCTIONS = {}


def arg(*flags, **kwargs):
    """An argument spec for :func:`reproduction`: the arguments of ``add_argument``."""
    return flags, kwargs


def reproduction(name, *, help, arguments=()):
    """Register ``func(args, out) -> int`` as ``skhebb reproduce <name>``.

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


def _floats(text):
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas, got {text!r}"
        ) from None
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected nonnegative numbers, got {text!r}")
    return values


def _sizes(text):
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected integers separated by commas, got {text!r}"
        ) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive layer sizes, got {text!r}")
    return values


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


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
            "skhebb: --scheduler needs dask and distributed; install the 'dask' extra: "
            "pip install 'skhebb[dask]'"
        ) from None
    with Client(scheduler) as client, joblib.parallel_config(backend="dask"):
        print(f"Running on the Dask cluster at {client.scheduler.address}", flush=True)
        yield


# ------------------------------------------------------------------ reproductions
#: The default `skhebb reproduce hebbset`: bundled TOX-171, SET vs HebbSET (lambda0 = 0.01),
#: sized to finish in a few minutes on a 2-core machine.
HEBBSET_DEFAULTS = dict(
    dataset="tox171", lambdas=[0.0, 0.01], seeds=[0, 1, 2], epochs=100, hidden=None
)


@reproduction(
    "hebbset",
    help="HebbSET vs SET test accuracy per epoch (Table II of the HebbSET paper)",
    arguments=[
        arg(
            "--dataset", default=HEBBSET_DEFAULTS["dataset"],
            choices=["tox171", "prostate_ge", "lung", "mnist2400"],
            help="workload (default: tox171, bundled; lung, prostate_ge and mnist2400 are "
            "read from the data home)",
        ),
        arg("--epochs", type=_positive_int, default=None, metavar="E",
            help=f"epochs per run (default: {HEBBSET_DEFAULTS['epochs']}; the paper: 250)"),
        arg("--lambdas", type=_floats, default=None, metavar="L0,L1,...",
            help="values of lambda0; 0 is SET (default: 0,0.01; the paper: 0,0.005,0.01,0.025)"),
        arg("--hidden", type=_sizes, default=None, metavar="H1,H2,...",
            help="hidden layer sizes (default: the paper's network for the dataset, "
            "2000,2000,2000 for the gene-expression tables, 1000,1000,1000 for MNIST)"),
        arg("--batch-size", type=_positive_int, default=None, metavar="B",
            help="mini-batch size (default: the paper's, 30 for tables, 200 for MNIST)"),
    ],
)
def _reproduce_hebbset(args, out):
    """HebbSET vs SET: test accuracy per epoch on a Lung-like table or MNIST-2400.

    The protocol of the HebbSET paper (Table II): a stratified 75/25 split per
    seed, each sample scaled to [0, 1], a sparse MLP trained with SET
    (alpha = 0.02, zeta = 0.3, epsilon = 20) with and without the Hebbian term.
    Without options it runs the bundled TOX-171 table, SET vs HebbSET with
    lambda0 = 0.01, 3 seeds, 100 epochs of the paper's network; pass
    --dataset mnist2400 --epochs 250 --seeds 10 --lambdas 0,0.005,0.01,0.025
    for the paper's MNIST experiment.
    """
    from skhebb.experiments._hebbset import (
        format_table2,
        hebbset_learning_curves,
        summarize_table2,
    )
    from skhebb.experiments._published import HEBBSET_TABLE2, PAPER

    seeds = args.seeds or HEBBSET_DEFAULTS["seeds"]
    lambdas = args.lambdas or HEBBSET_DEFAULTS["lambdas"]
    epochs = args.epochs or HEBBSET_DEFAULTS["epochs"]
    hidden = args.hidden or HEBBSET_DEFAULTS["hidden"]
    print(
        f"HebbSET vs SET on {args.dataset}: lambda0 in {lambdas}, {len(seeds)} seed(s), "
        f"{epochs} epochs, {len(seeds) * len(lambdas)} runs",
        flush=True,
    )
    n_jobs = _default_n_jobs(args.n_jobs, len(seeds) * len(lambdas))
    t0 = time.perf_counter()
    results = hebbset_learning_curves(
        args.dataset,
        lambdas=lambdas,
        seeds=seeds,
        epochs=epochs,
        hidden_layer_sizes=hidden,
        batch_size=args.batch_size,
        n_jobs=n_jobs,
        n_threads=args.threads,
        data_home=args.data_home,
        progress=not args.quiet,
    )
    elapsed = time.perf_counter() - t0
    table = summarize_table2(results)
    settings = dict(results.attrs["settings"], seeds=seeds, lambdas=lambdas)

    print(f"\nTest accuracy (mean ± std over {len(seeds)} seed(s)), {elapsed:.0f} s:")
    print(format_table2(table))
    paper_ds = table["paper_dataset"].iloc[0]
    published = [
        r for r in HEBBSET_TABLE2 if r["dataset"] == paper_ds and r["lambda0"] in lambdas
    ]
    if published:
        print(f"\nPublished ({PAPER}, {paper_ds}, 10 runs, 250 epochs):")
        for r in published:
            name = r["method"] if r["lambda0"] == 0 else f"{r['method']} λ0={r['lambda0']:g}"
            print(f"  {name:<16} epoch {r['epoch']:>3}: "
                  f"{r['accuracy_mean']:g} ± {r['accuracy_std']:g} %")

    out.mkdir(parents=True, exist_ok=True)
    stem = f"hebbset_{args.dataset}"
    written = [out / f"{stem}_{kind}" for kind in ("curves.csv", "table2.csv", "settings.json")]
    results.to_csv(written[0], index=False)
    table.to_csv(written[1], index=False)
    settings["hidden_layer_sizes"] = list(settings["hidden_layer_sizes"])
    written[2].write_text(json.dumps(dict(settings, elapsed_s=round(elapsed, 1)), indent=2))
    if not args.no_plot:
        png = _plot(results, out / f"{stem}_curves.png")
        if png is not None:
            written.append(png)
    print("\nWrote " + ", ".join(str(p) for p in written))
    return 0


def _default_n_jobs(n_jobs, n_runs):
    """One process per core, at most one per run (joblib caps numba's threads in each)."""
    if n_jobs is not None:
        return n_jobs
    return max(1, min(n_runs, os.cpu_count() or 1))


def _plot(results, path):
    """Save the learning curves as PNG; None (with a note) without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("(matplotlib is not installed: no plot; pip install 'skhebb[plot]')")
        return None
    from skhebb.plotting import plot_learning_curves

    fig = Figure(figsize=(6, 4), layout="constrained")
    plot_learning_curves(results, ax=fig.add_subplot())
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
        with _cluster(args.scheduler):
            return args.run(args, args.out)
    except (FileNotFoundError, ImportError) as exc:
        print(f"skhebb: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print("skhebb: interrupted", file=sys.stderr)
        return 130

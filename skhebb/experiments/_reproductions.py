"""The reproductions of the ``skhebb`` command: what each one runs, prints and leaves.

Each reproduction is one function registered with :func:`reproduction`, with
its own options: it receives the parsed arguments, runs its experiment,
prints its tables beside the published numbers and returns an :class:`Output`
(the tables to write and the figure to draw). The ``--dataset`` choices come
from the data set registry (:mod:`skhebb.datasets._registry`).
"""

import argparse
import os
import time
from dataclasses import dataclass

from skhebb.datasets._registry import dataset_names, get_dataset

__all__ = ["REPRODUCTIONS", "Figure", "Output", "UsageError", "reproduction"]

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


def _dataset_option(experiment, default, help):
    return arg("--dataset", default=default, choices=_RegisteredDatasets(experiment), help=help)


# ------------------------------------------------------------------ reproductions
#: The default `skhebb reproduce hebbset`: bundled TOX-171, SET vs HebbSET (lambda0 = 0.01),
#: a short run: the paper's epochs, fewer seeds and values of lambda0.
HEBBSET_DEFAULTS = dict(
    dataset="tox171", lambdas=[0.0, 0.01], seeds=[0, 1, 2], epochs=250, hidden=None
)


@reproduction(
    "hebbset",
    help="HebbSET vs SET test accuracy per epoch (Table II of the HebbSET paper)",
    arguments=[
        _dataset_option(
            "hebbset", HEBBSET_DEFAULTS["dataset"],
            "workload (default: tox171, bundled; the others are read from the data home)",
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
        arg("--loss", choices=["set_mse", "mse", "log_loss"], default="set_mse",
            help="output loss (default: set_mse, the squared error of the reference code; "
            "log_loss: softmax and cross-entropy)"),
        arg("--learning-rate", type=float, default=0.02, metavar="ALPHA",
            help="SGD step alpha (default: 0.02, the paper's)"),
    ],
)
def _reproduce_hebbset(args):
    """HebbSET vs SET: test accuracy per epoch on a Lung-like table or MNIST-2400.

    The protocol of the HebbSET paper (Table II): a stratified 75/25 split per
    seed, each sample scaled to [0, 1], a sparse MLP trained with SET
    (alpha = 0.02, zeta = 0.3, epsilon = 20) with and without the Hebbian term.
    Without options it runs the bundled TOX-171 table, SET vs HebbSET with
    lambda0 = 0.01, 3 seeds, the paper's 250 epochs of its network; pass
    --dataset mnist2400 --epochs 250 --seeds 10 --lambdas 0,0.005,0.01,0.025
    for the paper's MNIST experiment.
    """
    from skhebb.experiments import format_table2, hebbset_learning_curves, summarize_table2
    from skhebb.experiments._published import HEBBSET_TABLE2, PAPER
    from skhebb.plotting import plot_learning_curves

    seeds = args.seeds or HEBBSET_DEFAULTS["seeds"]
    lambdas = args.lambdas or HEBBSET_DEFAULTS["lambdas"]
    epochs = args.epochs or HEBBSET_DEFAULTS["epochs"]
    n_runs = len(seeds) * len(lambdas)
    print(f"HebbSET vs SET on {args.dataset}: lambda0 in {lambdas}, {len(seeds)} seed(s), "
          f"{epochs} epochs, loss {args.loss}, alpha {args.learning_rate:g}, {n_runs} runs",
          flush=True)
    results, elapsed = _timed(
        hebbset_learning_curves, args.dataset, lambdas=lambdas, seeds=seeds, epochs=epochs,
        hidden_layer_sizes=args.hidden or HEBBSET_DEFAULTS["hidden"],
        batch_size=args.batch_size, loss=args.loss, learning_rate=args.learning_rate,
        n_threads=args.threads, **_common_kwargs(args, n_runs),
    )
    table = summarize_table2(results)
    print(f"\nTest accuracy (mean ± std over {len(seeds)} seed(s)), {elapsed:.0f} s:")
    print(format_table2(table))
    paper_ds = table["paper_dataset"].iloc[0]
    published = [r for r in HEBBSET_TABLE2 if r["dataset"] == paper_ds and r["lambda0"] in lambdas]
    if published:
        print(f"\nPublished ({PAPER}, {paper_ds}, 10 runs, 250 epochs):")
        for r in published:
            name = r["method"] if r["lambda0"] == 0 else f"{r['method']} λ0={r['lambda0']:g}"
            print(f"  {name:<16} epoch {r['epoch']:>3}: "
                  f"{r['accuracy_mean']:g} ± {r['accuracy_std']:g} %")
    settings = dict(results.attrs["settings"], seeds=seeds, lambdas=lambdas)
    settings["hidden_layer_sizes"] = list(settings["hidden_layer_sizes"])
    stem = f"hebbset_{args.dataset}"
    return Output(
        {f"{stem}_curves.csv": results, f"{stem}_table2.csv": table,
         f"{stem}_settings.json": dict(settings, elapsed_s=round(elapsed, 1))},
        Figure(f"{stem}_curves.png", plot_learning_curves, (results,)),
    )


TOPOLOGY_DEFAULTS = dict(dataset="tox171", lambdas=[0.0, 0.01], seeds=[0, 1], epochs=30)


@reproduction(
    "topology",
    help="the evolving sparse topology of SET vs HebbSET (Fig. 5-7, Table III of HebbSET)",
    arguments=[
        _dataset_option("hebbset", TOPOLOGY_DEFAULTS["dataset"],
                        "workload (default: tox171, bundled)"),
        arg("--epochs", type=_positive_int, default=None, metavar="E",
            help=f"epochs per run (default: {TOPOLOGY_DEFAULTS['epochs']}; the paper: 250)"),
        arg("--lambdas", type=_floats, default=None, metavar="L0,L1,...",
            help="values of lambda0; 0 is SET (default: 0,0.01, as in the paper's figures)"),
        arg("--hidden", type=_sizes, default=None, metavar="H1,H2,...",
            help="hidden layer sizes (default: the paper's network for the dataset)"),
        arg("--checkpoints", type=_positive_int, default=10, metavar="N",
            help="about N evenly spaced checkpoints, plus the first and last epoch "
            "(default: 10)"),
    ],
)
def _reproduce_topology(args):
    """SET vs HebbSET topology: connections per input, stability, weight signs.

    Runs the HebbSET protocol (as `skhebb reproduce hebbset`) and records the
    network's connections at checkpoints: the connections of each input feature
    (the paper's Fig. 5: under HebbSET they concentrate on informative inputs),
    the fraction of connections kept between checkpoints (Fig. 6) and present
    at the end (Fig. 7), and the weight-sign statistics of Table III. Without
    options: bundled TOX-171, SET vs HebbSET (lambda0 = 0.01), 2 seeds, 30
    epochs of the paper's network. Table III was measured on MNIST after 250
    epochs; pass --dataset mnist2400 --epochs 250 for that setting.
    """
    from skhebb.experiments import hebbset_topology, summarize_topology
    from skhebb.plotting import plot_topology

    seeds = args.seeds or TOPOLOGY_DEFAULTS["seeds"]
    lambdas = args.lambdas or TOPOLOGY_DEFAULTS["lambdas"]
    epochs = args.epochs or TOPOLOGY_DEFAULTS["epochs"]
    step = max(1, epochs // args.checkpoints)
    checkpoints = sorted({0, *range(step - 1, epochs, step), epochs - 1})
    n_runs = len(seeds) * len(lambdas)
    print(f"SET/HebbSET topology on {args.dataset}: lambda0 in {lambdas}, {len(seeds)} "
          f"seed(s), {epochs} epochs, checkpoints {checkpoints}, {n_runs} runs", flush=True)
    topo, elapsed = _timed(
        hebbset_topology, args.dataset, lambdas=lambdas, seeds=seeds, epochs=epochs,
        checkpoints=checkpoints, hidden_layer_sizes=args.hidden, n_threads=args.threads,
        **_common_kwargs(args, n_runs),
    )
    summary = summarize_topology(topo)
    print(f"\nWeight signs at epoch {checkpoints[-1]} (mean over seeds), {elapsed:.0f} s; "
          "paper: Table III, MNIST, 250 epochs, HebbSET lambda0 = 0.01:")
    print(_pd_text(summary.weights.drop(columns=["dataset"]), "{:.3f}"))
    print("\nInput connectivity: share of the input layer's connections on the 10 % most "
          "connected inputs (0.1 = uniform) and Gini coefficient:")
    print(_pd_text(summary.inputs.drop(columns=["dataset"]), "{:.3f}"))
    stability = summary.stability
    print("\nInput layer: fraction of connections kept since the previous checkpoint "
          "(Fig. 6) and present at the end (Fig. 7):")
    print(_pd_text(stability[stability["layer"] == 1].drop(columns=["dataset", "layer"]),
                   "{:.3f}"))
    stem = f"topology_{args.dataset}"
    return Output(
        {f"{stem}_layers.csv": topo.layers, f"{stem}_inputs.csv.gz": topo.inputs,
         f"{stem}_weights.csv": summary.weights, f"{stem}_stability.csv": stability,
         f"{stem}_concentration.csv": summary.inputs},
        Figure(f"{stem}.png", plot_topology, (topo,), figsize=(5 * (len(lambdas) + 1), 4),
               whole_figure=True),
    )


SELECTORS_DEFAULTS = dict(
    dataset="mnist", inhibitions=[1.0, 3.0, 5.0, 10.0, 15.0], seeds=[0], n_train=10000
)


@reproduction(
    "selectors",
    help="lateral-inhibition feature selectors + linear read-out on MNIST (Zhu & Liu)",
    arguments=[
        _dataset_option("selectors", SELECTORS_DEFAULTS["dataset"],
                        "image set from the data home"),
        arg("--epochs", type=_positive_int, default=3, metavar="E",
            help="epochs of the selectors (default: 3, the paper's)"),
        arg("--inhibitions", type=_floats, default=None, metavar="L1,L2,...",
            help="inhibition strengths lambda >= 1 (default: 1,3,5,10,15)"),
        arg("--n-selectors", type=_positive_int, default=64, metavar="K",
            help="selectors (default: 64, the paper's)"),
        arg("--n-train", type=_positive_int, default=SELECTORS_DEFAULTS["n_train"],
            metavar="N", help="training images, a seeded subset (default: 10000; the paper: "
            "60000)"),
        arg("--n-test", type=_positive_int, default=None, metavar="N",
            help="first N test images (default: all 10000)"),
    ],
)
def _reproduce_selectors(args):
    """Zhu & Liu: lateral-inhibition selectors, accuracy against lambda.

    LateralInhibitionSelectors (Sanger's rule under lateral inhibition, 64
    selectors, 3 epochs) fit on a seeded subset of the MNIST training images;
    two read-outs on the inhibited responses, LogisticRegression and the
    paper's Hebbian delta rule (SupervisedHebbClassifier(rule="delta"), 3
    epochs); test accuracy on the 10,000 test images, beside the paper's
    Table 3 (best: 79.32 % at lambda = 10).
    """
    from skhebb.experiments import lateral_inhibition_accuracy, summarize_selectors
    from skhebb.experiments._published import SELECTORS_BEST, SELECTORS_PAPER
    from skhebb.plotting import plot_selectors

    seeds = args.seeds or SELECTORS_DEFAULTS["seeds"]
    inhibitions = args.inhibitions or SELECTORS_DEFAULTS["inhibitions"]
    if any(v < 1 for v in inhibitions):
        raise UsageError("inhibitions must be >= 1")
    n_runs = len(seeds) * len(inhibitions)
    print(f"Lateral-inhibition selectors on {args.dataset}: lambda in {inhibitions}, "
          f"{len(seeds)} seed(s), {args.n_selectors} selectors, {args.epochs} epochs, "
          f"{args.n_train} training images, {n_runs} runs", flush=True)
    results, elapsed = _timed(
        lateral_inhibition_accuracy, args.dataset, inhibitions=inhibitions, seeds=seeds,
        n_train=args.n_train, n_test=args.n_test, n_selectors=args.n_selectors,
        max_iter=args.epochs, **_common_kwargs(args, n_runs),
    )
    table = summarize_selectors(results)
    print(f"\nTest accuracy % (mean ± std over {len(seeds)} seed(s)), {elapsed:.0f} s, beside "
          f"{SELECTORS_PAPER} (64 selectors, 60000 images; paper_delta holds the best "
          "value quoted):")
    print(_pd_text(table.drop(columns=["dataset"]), "{:.2f}"))
    if args.dataset in SELECTORS_BEST:
        lam, best = SELECTORS_BEST[args.dataset]
        where = f" at lambda = {lam:g}" if lam else ""
        print(f"\nPublished best ({args.dataset}): {best:g} %{where}")
    stem = f"selectors_{args.dataset}"
    return Output({f"{stem}.csv": results, f"{stem}_table.csv": table},
                  Figure(f"{stem}.png", plot_selectors, (results,)))


@reproduction(
    "sample-efficiency",
    help="Hebbian vs classic features with 0.5-100 %% labeled rows (Lagani et al.)",
    arguments=[
        _dataset_option("sample_efficiency", "tox171", "workload (default: tox171, bundled)"),
        arg("--fractions", type=_floats, default=None, metavar="F1,F2,...",
            help="labeled fractions in (0, 1] (default: 0.005,0.01,0.02,0.05,0.1,1)"),
        arg("--methods", default=None, metavar="M1,M2,...",
            help="feature learners (default: all: Krotov, SoftWTA, HebbianPCA, "
            "LateralInhibitionSelectors, raw, PCA, MiniBatchKMeans, BernoulliRBM, MLP)"),
        arg("--readouts", default="logistic", metavar="R1,R2,...",
            help="read-outs: logistic and the SupervisedHebbClassifier rules threshold, "
            "delta, oja (default: logistic)"),
        arg("--n-components", type=_positive_int, default=None, metavar="K",
            help="features of every learner (default: each learner's own width)"),
        arg("--n-train", type=_positive_int, default=None, metavar="N",
            help="training rows, a seeded subset per seed (default: all)"),
        arg("--n-test", type=_positive_int, default=None, metavar="N",
            help="images: first N test images (default: all)"),
    ],
)
def _reproduce_sample_efficiency(args):
    """Sample efficiency: features from all rows, a read-out from the labeled few.

    Each feature learner (the few-labels recipe "Krotov", SoftWTA, HebbianPCA,
    LateralInhibitionSelectors, and as references the raw inputs, PCA,
    MiniBatchKMeans, BernoulliRBM) is fit once on every training row; a
    StandardScaler + LogisticRegression read-out (and optionally the rules of
    SupervisedHebbClassifier) is trained on the labeled rows only (labels -1
    elsewhere, SelfTrainingClassifier(max_iter=0)), for 0.5 to 100 % labeled
    rows; an MLPClassifier on the labeled raw inputs is the supervised
    reference. Without options: bundled TOX-171, 3 seeds. The paper's numbers
    are for CIFAR-10 with a CNN; they are printed for orientation only.
    """
    from skhebb.experiments import sample_efficiency, summarize_sample_efficiency
    from skhebb.experiments._published import (
        SAMPLE_EFFICIENCY_PAPER,
        SAMPLE_EFFICIENCY_PUBLISHED,
    )
    from skhebb.experiments._sample_efficiency import METHODS, READOUTS
    from skhebb.plotting import plot_sample_efficiency

    seeds = args.seeds or [0, 1, 2]
    fractions = args.fractions or [0.005, 0.01, 0.02, 0.05, 0.1, 1.0]
    if any(not 0 < f <= 1 for f in fractions):
        raise UsageError("fractions must lie in (0, 1]")
    methods = list(METHODS) if args.methods is None else _names(args.methods, METHODS, "methods")
    readouts = _names(args.readouts, READOUTS, "readouts")
    once = get_dataset(args.dataset).kind == "images" and args.n_train is None
    n_runs = len(methods) * (1 if once else len(seeds))
    width = "each learner's own width" if args.n_components is None else (
        f"{args.n_components} features")
    print(f"Sample efficiency on {args.dataset}: labeled fractions {fractions}, "
          f"{len(methods)} feature learners ({width}), read-outs {', '.join(readouts)}, "
          f"{len(seeds)} seed(s), {n_runs} fits", flush=True)
    results, elapsed = _timed(
        sample_efficiency, args.dataset, fractions=fractions, methods=methods,
        readouts=readouts, n_components=args.n_components, seeds=seeds, n_train=args.n_train,
        n_test=args.n_test, **_common_kwargs(args, n_runs),
    )
    table = summarize_sample_efficiency(results)
    labeled = (results.query("metric == 'test_accuracy'")
               .groupby("labeled_fraction")["n_labeled"].mean())
    print(f"\nTest accuracy % (mean, std over {len(seeds)} seed(s)), {elapsed:.0f} s; labeled "
          "rows per fraction: " + ", ".join(f"{f:g}: {n:g}" for f, n in labeled.items()))
    print(_pd_text(table.droplevel("dataset"), "{:.1f}"))
    print(f"\nPublished ({SAMPLE_EFFICIENCY_PAPER}; a different setting, for orientation):")
    for r in SAMPLE_EFFICIENCY_PUBLISHED:
        print(f"  {r['method']:<11} {r['labeled_percent']:>3} % labeled: {r['accuracy']:g} %")
    stem = f"sample_efficiency_{args.dataset}"
    return Output({f"{stem}.csv": results, f"{stem}_table.csv": table},
                  Figure(f"{stem}.png", plot_sample_efficiency, (results,), figsize=(9, 4.8)))


@reproduction(
    "low-shot",
    help="supervised Hebbian learning from k images per digit (Qumsieh)",
    arguments=[
        _dataset_option("low_shot", "mnist", "image set from the data home"),
        arg("--epochs", type=_positive_int, default=1, metavar="E",
            help="epochs of the Hebbian rules (default: 1, the paper's)"),
        arg("--shots", type=_sizes, default=None, metavar="K1,K2,...",
            help="images per digit (default: 1,2,5,10,20,60)"),
        arg("--rules", default="threshold,delta,oja", metavar="R1,R2,...",
            help="rules of SupervisedHebbClassifier (default: threshold,delta,oja)"),
        arg("--no-references", action="store_true",
            help="skip the LogisticRegression and MLPClassifier reference lines"),
        arg("--n-test", type=_positive_int, default=None, metavar="N",
            help="first N test images (default: all 10000)"),
    ],
)
def _reproduce_low_shot(args):
    """Qumsieh: supervised Hebbian learning from the first k images per digit.

    SupervisedHebbClassifier (rules threshold, delta and oja; without and with
    the fixed pooling front-end, 784-10 and 784-196-10) trained one epoch on the
    first k images of each digit of the MNIST training file, unshuffled; test
    accuracy on the 10,000 test images, with LogisticRegression and
    MLPClassifier trained on the same images as references. Published:
    36.25 % (k = 1, 784-196-10), 47.62 % (k = 2, 784-10), 70.4 % (k = 60,
    784-196-10).
    """
    from skhebb.experiments import low_shot, summarize_low_shot
    from skhebb.experiments._low_shot import REFERENCES
    from skhebb.experiments._published import LOW_SHOT_PAPER, LOW_SHOT_PUBLISHED
    from skhebb.plotting import plot_low_shot

    seeds = args.seeds or [0]
    shots = args.shots or [1, 2, 5, 10, 20, 60]
    rules = _names(args.rules, ("threshold", "delta", "oja"), "rules")
    print(f"Low shot on {args.dataset}: k in {shots} images per digit, rules {rules}, "
          f"{args.epochs} epoch(s)", flush=True)
    results, elapsed = _timed(
        low_shot, shots=shots, rules=rules, references=() if args.no_references else REFERENCES,
        seeds=seeds, max_iter=args.epochs, n_test=args.n_test, dataset=args.dataset,
        **_common_kwargs(args, 1),
    )
    table = summarize_low_shot(results)
    print(f"\nTest accuracy % against images per digit, {elapsed:.0f} s:")
    print(_pd_text(table, "{:.2f}"))
    print(f"\nPublished ({LOW_SHOT_PAPER}):")
    for r in LOW_SHOT_PUBLISHED:
        print(f"  k = {r['shots']:>2}, {r['architecture']:<10}: {r['accuracy']:g} %")
    stem = f"low_shot_{args.dataset}"
    return Output({f"{stem}.csv": results, f"{stem}_table.csv": table},
                  Figure(f"{stem}.png", plot_low_shot, (results,), figsize=(9, 4.5)))


TABULAR_DEFAULTS = dict(dataset="tox171", splits=5, ks=[10, 25, 50, 100, 200])


def _tabular_options(with_ks):
    options = [
        _dataset_option("tabular", TABULAR_DEFAULTS["dataset"],
                        "table (default: tox171, bundled; the others are read from the "
                        "data home)"),
        arg("--splits", type=_positive_int, default=TABULAR_DEFAULTS["splits"], metavar="S",
            help="stratified 75/25 splits (default: 5)"),
    ]
    if with_ks:
        options.append(arg("--ks", type=_sizes, default=None, metavar="K1,K2,...",
                           help="numbers of features kept (default: 10,25,50,100,200)"))
    return options


def _feature_selection_output(args, n_runs):
    from skhebb.experiments import feature_selection, summarize_feature_selection
    from skhebb.plotting import plot_feature_selection

    ks = args.ks or TABULAR_DEFAULTS["ks"]
    results, elapsed = _timed(feature_selection, args.dataset, ks=ks, n_splits=args.splits,
                              n_threads=args.threads, **_common_kwargs(args, n_runs))
    table = summarize_feature_selection(results)
    print(f"\nTop-K features chosen on the training part, scored by StandardScaler + "
          f"LinearSVC: test accuracy (%), mean over {args.splits} splits, {elapsed:.0f} s")
    print(_pd_text(table.droplevel("dataset")))
    stem = f"feature_selection_{args.dataset}"
    return results, table, stem, Figure(f"{stem}.png", plot_feature_selection, (results,))


@reproduction(
    "tabular",
    help="HebbSET's defaults next to LogisticRegression and MLPClassifier on a table, "
    "and its feature importances as a selector",
    arguments=_tabular_options(with_ks=True),
)
def _reproduce_tabular(args):
    """HebbSET as a tabular baseline: accuracy, fit time and the features it selects.

    ``make_pipeline(StandardScaler(), model)`` for HebbSETClassifier with its
    defaults, LogisticRegression and MLPClassifier on the same seeded stratified
    75/25 splits (test accuracy and fit time), then the feature-selection table
    of `skhebb reproduce feature-selection`. Without options: the bundled
    TOX-171 table, 5 splits.
    """
    from skhebb.experiments import summarize_tabular, tabular_baselines

    n_runs = args.splits
    print(f"Tabular baselines on {args.dataset}: {args.splits} stratified 75/25 splits, "
          "StandardScaler in front of each model", flush=True)
    results, elapsed = _timed(tabular_baselines, args.dataset, n_splits=args.splits,
                              n_threads=args.threads, **_common_kwargs(args, n_runs))
    summary = summarize_tabular(results)
    print(f"\nTest accuracy (%, mean ± std) and median fit time (s), {elapsed:.0f} s:")
    print(_pd_text(summary.drop(columns=["dataset"]).set_index("model"), "{:.2f}"))
    fs, table, stem, figure = _feature_selection_output(args, n_runs)
    return Output(
        {f"tabular_{args.dataset}.csv": results, f"tabular_{args.dataset}_summary.csv": summary,
         f"{stem}.csv": fs, f"{stem}_table.csv": table.reset_index()},
        figure,
    )


@reproduction(
    "feature-selection",
    help="top-K features by HebbSET's importances vs f_classif, random forest and L1 "
    "logistic regression, scored by a linear SVM",
    arguments=_tabular_options(with_ks=True),
)
def _reproduce_feature_selection(args):
    """Feature selection on a gene-expression table.

    On each of the seeded stratified 75/25 splits, the top-K features by
    HebbSET's ``feature_importances_`` (defaults, standardised inputs),
    ``SelectKBest(f_classif)``, random-forest importances and L1 logistic
    regression, each chosen on the training part and scored by the same
    StandardScaler + LinearSVC. Without options: the bundled TOX-171 table;
    ``--dataset prostate_ge`` for Prostate-GE (from the data home).
    """
    print(f"Feature selection on {args.dataset}: {args.splits} stratified 75/25 splits",
          flush=True)
    fs, table, stem, figure = _feature_selection_output(args, args.splits)
    return Output({f"{stem}.csv": fs, f"{stem}_table.csv": table.reset_index()}, figure)

"""The image reproductions of ``skhebb reproduce``: ``selectors``, ``sample-efficiency``,
``low-shot``.
"""

from skhebb.datasets._registry import get_dataset
from skhebb.experiments import _reproductions as rp

SELECTORS_DEFAULTS = dict(
    dataset="mnist", inhibitions=[1.0, 3.0, 5.0, 10.0, 15.0], seeds=[0], n_train=10000
)


@rp.reproduction(
    "selectors",
    help="lateral-inhibition feature selectors + linear read-out on MNIST (Zhu & Liu)",
    arguments=[
        rp._dataset_option("selectors", SELECTORS_DEFAULTS["dataset"], "image set"),
        rp.arg("--epochs", type=rp._positive_int, default=3, metavar="E",
            help="epochs of the selectors (default: 3, the paper's)"),
        rp.arg("--inhibitions", type=rp._floats, default=None, metavar="L1,L2,...",
            help="inhibition strengths lambda >= 1 (default: 1,3,5,10,15)"),
        rp.arg("--n-selectors", type=rp._positive_int, default=64, metavar="K",
            help="selectors (default: 64, the paper's)"),
        rp.arg("--n-train", type=rp._positive_int, default=SELECTORS_DEFAULTS["n_train"],
            metavar="N", help="training images, a seeded subset (default: 10000; the paper: "
            "60000)"),
        rp.arg("--n-test", type=rp._positive_int, default=None, metavar="N",
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
        raise rp.UsageError("inhibitions must be >= 1")
    n_runs = len(seeds) * len(inhibitions)
    print(f"Lateral-inhibition selectors on {args.dataset}: lambda in {inhibitions}, "
          f"{len(seeds)} seed(s), {args.n_selectors} selectors, {args.epochs} epochs, "
          f"{args.n_train} training images, {n_runs} runs", flush=True)
    results, elapsed = rp._timed(
        lateral_inhibition_accuracy, args.dataset, inhibitions=inhibitions, seeds=seeds,
        n_train=args.n_train, n_test=args.n_test, n_selectors=args.n_selectors,
        max_iter=args.epochs, **rp._common_kwargs(args, n_runs),
    )
    table = summarize_selectors(results)
    print(f"\nTest accuracy % (mean ± std over {len(seeds)} seed(s)), {elapsed:.0f} s, beside "
          f"{SELECTORS_PAPER} (64 selectors, 60000 images; paper_delta holds the best "
          "value quoted):")
    print(rp._pd_text(table.drop(columns=["dataset"]), "{:.2f}"))
    if args.dataset in SELECTORS_BEST:
        lam, best = SELECTORS_BEST[args.dataset]
        where = f" at lambda = {lam:g}" if lam else ""
        print(f"\nPublished best ({args.dataset}): {best:g} %{where}")
    stem = f"selectors_{args.dataset}"
    return rp.Output.results_and_table(stem, results, table, plot_selectors)


@rp.reproduction(
    "sample-efficiency",
    help="Hebbian vs classic features with 0.5-100 %% labeled rows (Lagani et al.)",
    arguments=[
        rp._dataset_option("sample_efficiency", "tox171", "workload"),
        rp.arg("--fractions", type=rp._floats, default=None, metavar="F1,F2,...",
            help="labeled fractions in (0, 1] (default: 0.005,0.01,0.02,0.05,0.1,1)"),
        rp.arg("--methods", default=None, metavar="M1,M2,...",
            help="feature learners (default: all: Krotov, SoftWTA, HebbianPCA, "
            "LateralInhibitionSelectors, raw, PCA, MiniBatchKMeans, BernoulliRBM, MLP)"),
        rp.arg("--readouts", default="logistic", metavar="R1,R2,...",
            help="read-outs: logistic and the SupervisedHebbClassifier rules threshold, "
            "delta, oja (default: logistic)"),
        rp.arg("--n-components", type=rp._positive_int, default=None, metavar="K",
            help="features of every learner (default: each learner's own width)"),
        rp.arg("--n-train", type=rp._positive_int, default=None, metavar="N",
            help="training rows, a seeded subset per seed (default: all)"),
        rp.arg("--n-test", type=rp._positive_int, default=None, metavar="N",
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
        raise rp.UsageError("fractions must lie in (0, 1]")
    methods = list(METHODS) if args.methods is None else rp._names(args.methods, METHODS, "methods")
    readouts = rp._names(args.readouts, READOUTS, "readouts")
    once = get_dataset(args.dataset).kind == "images" and args.n_train is None
    n_runs = len(methods) * (1 if once else len(seeds))
    width = "each learner's own width" if args.n_components is None else (
        f"{args.n_components} features")
    print(f"Sample efficiency on {args.dataset}: labeled fractions {fractions}, "
          f"{len(methods)} feature learners ({width}), read-outs {', '.join(readouts)}, "
          f"{len(seeds)} seed(s), {n_runs} fits", flush=True)
    results, elapsed = rp._timed(
        sample_efficiency, args.dataset, fractions=fractions, methods=methods,
        readouts=readouts, n_components=args.n_components, seeds=seeds, n_train=args.n_train,
        n_test=args.n_test, **rp._common_kwargs(args, n_runs),
    )
    table = summarize_sample_efficiency(results)
    labeled = (results.query("metric == 'test_accuracy'")
               .groupby("labeled_fraction")["n_labeled"].mean())
    print(f"\nTest accuracy % (mean, std over {len(seeds)} seed(s)), {elapsed:.0f} s; labeled "
          "rows per fraction: " + ", ".join(f"{f:g}: {n:g}" for f, n in labeled.items()))
    print(rp._pd_text(table.droplevel("dataset"), "{:.1f}"))
    print(f"\nPublished ({SAMPLE_EFFICIENCY_PAPER}; a different setting, for orientation):")
    for r in SAMPLE_EFFICIENCY_PUBLISHED:
        print(f"  {r['method']:<11} {r['labeled_percent']:>3} % labeled: {r['accuracy']:g} %")
    stem = f"sample_efficiency_{args.dataset}"
    return rp.Output.results_and_table(stem, results, table, plot_sample_efficiency,
                                       figsize=(9, 4.8))


@rp.reproduction(
    "low-shot",
    help="supervised Hebbian learning from k images per digit (Qumsieh)",
    arguments=[
        rp._dataset_option("low_shot", "mnist", "image set"),
        rp.arg("--epochs", type=rp._positive_int, default=1, metavar="E",
            help="epochs of the Hebbian rules (default: 1, the paper's)"),
        rp.arg("--shots", type=rp._sizes, default=None, metavar="K1,K2,...",
            help="images per digit (default: 1,2,5,10,20,60)"),
        rp.arg("--rules", default="threshold,delta,oja", metavar="R1,R2,...",
            help="rules of SupervisedHebbClassifier (default: threshold,delta,oja)"),
        rp.arg("--no-references", action="store_true",
            help="skip the LogisticRegression and MLPClassifier reference lines"),
        rp.arg("--n-test", type=rp._positive_int, default=None, metavar="N",
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
    rules = rp._names(args.rules, ("threshold", "delta", "oja"), "rules")
    print(f"Low shot on {args.dataset}: k in {shots} images per digit, rules {rules}, "
          f"{args.epochs} epoch(s)", flush=True)
    results, elapsed = rp._timed(
        low_shot, shots=shots, rules=rules, references=() if args.no_references else REFERENCES,
        seeds=seeds, max_iter=args.epochs, n_test=args.n_test, dataset=args.dataset,
        **rp._common_kwargs(args, 1),
    )
    table = summarize_low_shot(results)
    print(f"\nTest accuracy % against images per digit, {elapsed:.0f} s:")
    print(rp._pd_text(table, "{:.2f}"))
    print(f"\nPublished ({LOW_SHOT_PAPER}):")
    for r in LOW_SHOT_PUBLISHED:
        print(f"  k = {r['shots']:>2}, {r['architecture']:<10}: {r['accuracy']:g} %")
    stem = f"low_shot_{args.dataset}"
    return rp.Output.results_and_table(stem, results, table, plot_low_shot, figsize=(9, 4.5))

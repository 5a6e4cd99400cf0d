"""The table reproductions of ``skhebb reproduce``: ``tabular`` and ``feature-selection``.
"""

from skhebb.experiments import _reproductions as rp

TABULAR_DEFAULTS = dict(dataset="tox171", splits=5, ks=[10, 25, 50, 100, 200])


#: The options of both table reproductions.
TABULAR_OPTIONS = (
    rp._dataset_option("tabular", TABULAR_DEFAULTS["dataset"], "table"),
    rp.arg("--splits", type=rp._positive_int, default=TABULAR_DEFAULTS["splits"], metavar="S",
           help="stratified 75/25 splits (default: 5)"),
    rp.arg("--ks", type=rp._sizes, default=None, metavar="K1,K2,...",
           help="numbers of features kept (default: 10,25,50,100,200)"),
)


def _feature_selection_output(args, n_runs):
    from skhebb.experiments import feature_selection, summarize_feature_selection
    from skhebb.plotting import plot_feature_selection

    ks = args.ks or TABULAR_DEFAULTS["ks"]
    results, elapsed = rp._timed(feature_selection, args.dataset, ks=ks, n_splits=args.splits,
                                 n_threads=args.threads, **rp._common_kwargs(args, n_runs))
    table = summarize_feature_selection(results)
    print(f"\nTop-K features chosen on the training part, scored by StandardScaler + "
          f"LinearSVC: test accuracy (%), mean over {args.splits} splits, {elapsed:.0f} s")
    print(rp._pd_text(table.droplevel("dataset")))
    stem = f"feature_selection_{args.dataset}"
    return results, table, stem, rp.Figure(f"{stem}.png", plot_feature_selection, (results,))


@rp.reproduction(
    "tabular",
    help="HebbSET's defaults next to LogisticRegression and MLPClassifier on a table, "
    "and its feature importances as a selector",
    arguments=TABULAR_OPTIONS,
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
    results, elapsed = rp._timed(tabular_baselines, args.dataset, n_splits=args.splits,
                                 n_threads=args.threads, **rp._common_kwargs(args, n_runs))
    summary = summarize_tabular(results)
    print(f"\nTest accuracy (%, mean ± std) and median fit time (s), {elapsed:.0f} s:")
    print(rp._pd_text(summary.drop(columns=["dataset"]).set_index("model"), "{:.2f}"))
    fs, table, stem, figure = _feature_selection_output(args, n_runs)
    return rp.Output(
        {f"tabular_{args.dataset}.csv": results, f"tabular_{args.dataset}_summary.csv": summary,
         f"{stem}.csv": fs, f"{stem}_table.csv": table.reset_index()},
        figure,
    )


@rp.reproduction(
    "feature-selection",
    help="top-K features by HebbSET's importances vs f_classif, random forest and L1 "
    "logistic regression, scored by a linear SVM",
    arguments=TABULAR_OPTIONS,
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
    return rp.Output({f"{stem}.csv": fs, f"{stem}_table.csv": table.reset_index()}, figure)

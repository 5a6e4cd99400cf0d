"""HebbSETClassifier's defaults as a tabular baseline, and its features as a selection.

Writes ``benchmarks/results/tabular.md`` (and CSV files beside it):

* ``make_pipeline(StandardScaler(), model)`` for HebbSETClassifier with its
  defaults, LogisticRegression and MLPClassifier, on 5 stratified 75/25 splits
  (``StratifiedShuffleSplit(random_state=0)``) of TOX-171, Prostate-GE and
  ``load_digits``: test accuracy and fit time;
* the feature-selection table (top-K features by HebbSET, f_classif, random
  forest and L1 logistic regression, scored by StandardScaler + LinearSVC) on
  TOX-171 and Prostate-GE, and its plot.

Run from the repository root, one thread for every library so that the fit
times compare like with like::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\
        python benchmarks/bench_tabular.py --data-home ../shared/data
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from sklearn.datasets import load_digits

from skhebb.experiments import (
    feature_selection,
    summarize_feature_selection,
    summarize_tabular,
    tabular_baselines,
)

OUT = Path(__file__).parent / "results"


def _machine():
    """The machine line of a live run; ``--from-csv`` keeps the one of the run it rewrites."""
    threads = {k: os.environ.get(k, "unset") for k in
               ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical "
            f"cores (shared with other work), Python {platform.python_version()}, {threads}.")


def _recorded_machine():
    record = OUT / "tabular.md"
    lines = record.read_text().splitlines() if record.exists() else []
    return next((line for line in lines if line.startswith("Machine: ")),
                "Machine: not recorded.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-home", required=True)
    ap.add_argument("--splits", type=int, default=5)
    ap.add_argument("--from-csv", action="store_true",
                    help="rewrite the record from the CSV files of a previous run")
    args = ap.parse_args()
    import pandas as pd

    t0 = time.perf_counter()
    if args.from_csv:
        base = pd.read_csv(OUT / "tabular_baselines.csv")
        fs = pd.read_csv(OUT / "feature_selection.csv")
        elapsed, machine = None, _recorded_machine()
    else:
        frames = [tabular_baselines(name, n_splits=args.splits, data_home=args.data_home)
                  for name in ("tox171", "prostate_ge")]
        frames.append(tabular_baselines("load_digits", n_splits=args.splits,
                                        data=load_digits(return_X_y=True)))
        base = pd.concat(frames, ignore_index=True)
        base.to_csv(OUT / "tabular_baselines.csv", index=False)
        fs = pd.concat([feature_selection(name, n_splits=args.splits, data_home=args.data_home)
                        for name in ("tox171", "prostate_ge")], ignore_index=True)
        fs.to_csv(OUT / "feature_selection.csv", index=False)
        elapsed, machine = time.perf_counter() - t0, _machine()
    text = _record(base, fs, args.splits, elapsed, machine)
    (OUT / "tabular.md").write_text(text)
    print(text)
    _plot(fs)


def _record(base, fs, splits, elapsed, machine):
    summary = summarize_tabular(base)
    mlp = summary[summary["model"] == "MLPClassifier"].set_index("dataset")
    lines = [
        "# HebbSETClassifier as a tabular baseline",
        "",
        "Command (repository root; `--from-csv` rewrites this file from the CSV files):",
        "",
        "```",
        "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \\",
        f"    python benchmarks/bench_tabular.py --data-home ../shared/data --splits {splits}",
        "```",
        "",
        machine,
        "",
        f"`make_pipeline(StandardScaler(), model)`, {splits} stratified 75/25 splits "
        "(`StratifiedShuffleSplit(random_state=0)`), the same splits for every model; "
        "HebbSETClassifier and MLPClassifier with `random_state=split`, everything else "
        "default (`LogisticRegression(max_iter=1000)`). Test accuracy in %, mean ± std; "
        "median fit time of the pipeline in seconds (numba's kernels compiled beforehand). "
        "Raw rows: `benchmarks/results/tabular_baselines.csv`.",
        "",
        "| data set | model | accuracy | median fit time (s) | fit time / MLP |",
        "|---|---|---|---|---|",
    ]
    for r in summary.itertuples():
        ratio = r.median_fit_time / mlp.loc[r.dataset, "median_fit_time"]
        lines.append(f"| {r.dataset} | {r.model} | {r.accuracy:.1f} ± {r.accuracy_std:.1f} | "
                     f"{r.median_fit_time:.3f} | {ratio:.2f} |")
    table = summarize_feature_selection(fs)
    lines += [
        "",
        "## Feature selection",
        "",
        "Top-K features chosen on the training part of each split (HebbSET: "
        "`feature_importances_` of the defaults on standardised inputs; `f_classif` "
        "F-scores; impurity importances of a 500-tree random forest; |coefficients| of "
        "`LogisticRegression(penalty='l1', C=1, solver='liblinear', random_state=split)`, one "
        "against the rest, "
        "summed over the classes, on standardised inputs), scored by `StandardScaler` + "
        "`LinearSVC(random_state=split)` on the test part. Mean test accuracy (%) over the "
        "same splits. Raw "
        "rows: `benchmarks/results/feature_selection.csv`; plot: "
        "`benchmarks/results/feature_selection.png`.",
        "",
        "| data set | selector | " + " | ".join(
            "all features" if k == "all" else f"K={k}" for k in table.columns) + " |",
        "|---|---|" + "---|" * len(table.columns),
    ]
    for (dataset, selector), row in table.iterrows():
        cells = " | ".join(f"{v:.1f}" for v in row.to_numpy())
        lines.append(f"| {dataset} | {selector} | {cells} |")
    if elapsed is not None:
        lines += ["", f"Total run time {elapsed:.0f} s."]
    return "\n".join(lines) + "\n"


def _plot(fs):
    try:
        import matplotlib
    except ImportError:
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skhebb.plotting import plot_feature_selection

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, name in zip(axes, ("tox171", "prostate_ge"), strict=True):
        plot_feature_selection(fs[fs["dataset"] == name], ax=ax)
    fig.tight_layout()
    fig.savefig(OUT / "feature_selection.png", dpi=110)


if __name__ == "__main__":
    sys.exit(main())

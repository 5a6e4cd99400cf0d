"""Figures of the comparisons with published numbers and references (accuracy against a setting)."""

import numpy as np

from skhebb._plotting._axes import _finish, _new_axes, _one_dataset, figure_of

__all__ = ["plot_feature_selection", "plot_low_shot", "plot_sample_efficiency", "plot_selectors"]


@figure_of("sample_efficiency")
def plot_sample_efficiency(results, *, dataset=None, ax=None):
    """Learning curves: test accuracy against the labeled samples, one line per learner.

    %(parameters)s
    dataset : str, default=None
        The dataset to show when ``results`` holds several.
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, log x (labeled samples), with one line (mean over seeds,
        ± std error bars) per method and read-out, one colour per method:
        Hebbian learners solid with round markers, references dashed with
        square ones; a read-out other than the logistic regression dotted,
        its label the method followed by the read-out.

    %(see_also)s
    """
    data = results[results["metric"] == "test_accuracy"]
    if dataset is not None:
        data = data[data["dataset"] == dataset]
    if data.empty:
        raise ValueError("results hold no 'test_accuracy' rows to plot.")
    if data["dataset"].nunique() > 1:
        raise ValueError("results hold several datasets; pass dataset=.")
    if "readout" not in data:
        data = data.assign(readout="logistic")
    from skhebb.experiments._sample_efficiency import HEBBIAN, METHODS, READOUTS

    ax = _new_axes(ax)
    lines = list(dict.fromkeys(zip(data["method"], data["readout"], strict=True)))
    methods = list(dict.fromkeys(m for m, _ in lines))

    def rank(line):
        method, readout = line
        known = method in METHODS
        return (not known, METHODS.index(method) if known else methods.index(method),
                READOUTS.index(readout) if readout in READOUTS else -1)

    colors = {m: f"C{i % 10}" for i, m in enumerate(sorted(methods, key=lambda m: rank((m, ""))))}
    for method, readout in sorted(lines, key=rank):
        rows = data[(data["method"] == method) & (data["readout"] == readout)]
        stats = rows.groupby("labeled_fraction").agg(
            n=("n_labeled", "mean"), mean=("value", "mean"), std=("value", "std")
        ).sort_index()
        main = readout in ("logistic", "mlp")
        ax.errorbar(
            stats["n"].to_numpy(), stats["mean"].to_numpy() * 100,
            yerr=np.nan_to_num(stats["std"].to_numpy()) * 100, capsize=3, ms=4,
            marker="o" if method in HEBBIAN else "s", color=colors[method],
            ls=("-" if method in HEBBIAN else "--") if main else ":",
            label=method if main else f"{method} + {readout}",
        )
    ax.set_xscale("log")
    return _finish(ax, "labeled training samples", "test accuracy (%)",
                   str(data["dataset"].iloc[0]), title_size="large", legend="outside", grid=True)


@figure_of("lateral_inhibition_accuracy", detail=" for one dataset")
def plot_selectors(results, *, ax=None):
    """Test accuracy of lateral-inhibition selectors against lambda, beside the paper's.

    %(parameters)s
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, with one line (mean, ± std error bars) per read-out and, for
        MNIST and Fashion-MNIST, dashed and dotted lines for the paper's delta
        and Oja read-outs (Zhu & Liu's Table 3, 60,000 training images).

    %(see_also)s
    """
    from skhebb.experiments import summarize_selectors
    from skhebb.experiments._published import SELECTORS_TABLE3

    table = summarize_selectors(results)
    dataset = _one_dataset(table)
    ax = _new_axes(ax)
    for readout, group in table.groupby("readout"):
        ax.errorbar(group["inhibition"], group["accuracy_mean"],
                    yerr=group["accuracy_std"].fillna(0), marker="o", capsize=3,
                    label=f"ours, {readout} read-out")
    for readout, style in (("delta", "k--"), ("oja", "k:")):
        paper = [(r["inhibition"], r["accuracy"]) for r in SELECTORS_TABLE3
                 if r["dataset"] == dataset and r["readout"] == readout]
        if paper:
            ax.plot([p[0] for p in paper], [p[1] for p in paper], style, marker="x", ms=4,
                    label=f"paper (60000 images), {readout} read-out")
    n_selectors = ", ".join(str(n) for n in sorted(results["n_selectors"].unique()))
    return _finish(ax, "inhibition strength λ", "test accuracy (%)",
                   f"{n_selectors} selectors, {dataset}")


@figure_of("feature_selection", detail=" for one dataset")
def plot_feature_selection(results, *, ax=None):
    """Linear-SVM test accuracy of the top-K features of each selector, against K.

    %(parameters)s
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        One line per selector (mean over splits, ± std error bars, K on a log
        axis) and a dashed line for the SVM on all features.

    %(see_also)s
    """
    dataset = _one_dataset(results)
    ax = _new_axes(ax)
    stats = results.groupby(["selector", "k"], sort=False)["accuracy"].agg(["mean", "std"]) * 100
    for selector, group in stats.groupby(level="selector", sort=False):
        ks = group.index.get_level_values("k")
        if selector == "all features":
            ax.axhline(group["mean"].iloc[0], color="k", ls="--", lw=1,
                       label=f"all {ks[0]} features")
            continue
        ax.errorbar(ks, group["mean"], yerr=group["std"].fillna(0), marker="o", capsize=3,
                    label=selector)
    ax.set_xscale("log")
    return _finish(ax, "features kept (K)", "LinearSVC test accuracy (%)",
                   f"top-K features, {dataset}")


@figure_of("low_shot")
def plot_low_shot(results, *, ax=None):
    """Test accuracy against the training images per class, one line per configuration.

    %(parameters)s
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, with one line per rule and architecture (solid) and per
        scikit-learn reference (dashed), and Qumsieh's published values as
        crosses.

    %(see_also)s
    """
    from skhebb.experiments import summarize_low_shot
    from skhebb.experiments._low_shot import REFERENCES
    from skhebb.experiments._published import LOW_SHOT_PUBLISHED

    table = summarize_low_shot(results)
    ax = _new_axes(ax, figsize=(9, 4.5))
    ks = [int(k) for k in table.columns]
    for name, row in table.iterrows():
        if name.startswith("published"):
            continue
        ax.plot(ks, row.to_numpy(), "--" if name in REFERENCES else "-", marker="o", ms=3,
                label=name)
    ax.scatter([r["shots"] for r in LOW_SHOT_PUBLISHED],
               [r["accuracy"] for r in LOW_SHOT_PUBLISHED], color="k", marker="x",
               zorder=5, label="published (Qumsieh)")
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.minorticks_off()
    return _finish(ax, "training images per digit", "test accuracy (%)", legend="outside",
                   grid=True)

"""Figures of the experiments (needs matplotlib: ``pip install 'skhebb[plot]'``)."""

import numpy as np

__all__ = ["plot_learning_curves"]


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skhebb.plotting needs matplotlib; install the 'plot' extra: "
            "pip install 'skhebb[plot]'"
        ) from exc


def plot_learning_curves(results, *, metric="test_accuracy", ax=None, percent=None):
    """Plot learning curves: the mean over seeds with a ± std band, per method.

    Parameters
    ----------
    results : pandas.DataFrame
        Tidy results with columns ``method, lambda0, seed, epoch, metric,
        value``, as returned by
        :func:`skhebb.experiments.hebbset_learning_curves`.
    metric : str, default="test_accuracy"
        The metric to plot.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; None creates a new figure with :mod:`matplotlib.pyplot`.
    percent : bool, default=None
        Show the values in percent; None means yes for accuracies.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.

    See Also
    --------
    skhebb.experiments.hebbset_learning_curves : Produces ``results``.
    """
    _matplotlib()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4))
    data = results[results["metric"] == metric]
    if data.empty:
        raise ValueError(f"results hold no rows with metric {metric!r}.")
    if percent is None:
        percent = "accuracy" in metric
    scale = 100.0 if percent else 1.0
    for (lam, method), group in data.groupby(["lambda0", "method"], sort=True):
        stats = group.groupby("epoch")["value"].agg(["mean", "std"]).sort_index()
        epochs = stats.index.to_numpy()
        mean = stats["mean"].to_numpy() * scale
        std = np.nan_to_num(stats["std"].to_numpy()) * scale
        label = method if lam == 0 else f"{method} λ0={lam:g}"
        (line,) = ax.plot(epochs, mean, label=label)
        ax.fill_between(epochs, mean - std, mean + std, color=line.get_color(), alpha=0.2)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " ") + (" (%)" if percent else ""))
    if "dataset" in data:
        ax.set_title(", ".join(sorted(data["dataset"].unique())))
    ax.legend()
    return ax

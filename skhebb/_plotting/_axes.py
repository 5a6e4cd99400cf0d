"""What every figure of :mod:`skhebb.plotting` shares: matplotlib, the axes, the checks."""


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skhebb.plotting needs matplotlib; install the experiments extra: "
            'pip install "skhebb[experiments]"'
        ) from exc


def _new_axes(ax, figsize=(6, 4)):
    """``ax``, or the axes of a new figure; an ImportError first if matplotlib is missing."""
    _matplotlib()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


#: ``ax.legend`` arguments: in the axes, or right of them for figures with many lines.
_LEGENDS = {
    "inside": dict(fontsize="small"),
    "outside": dict(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0)),
}


def _finish(ax, xlabel, ylabel, title=None, *, title_size="medium", legend="inside",
            grid=False):
    """Label the axes, title them, draw the legend (and a light grid); return ``ax``."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title, fontsize=title_size)
    if grid:
        ax.grid(True, alpha=0.3)
    ax.legend(**_LEGENDS[legend])
    return ax


def _one_dataset(frame):
    """The one dataset of ``frame``; ValueError when it holds several."""
    datasets = frame["dataset"].unique()
    if len(datasets) > 1:
        raise ValueError(f"results hold several datasets ({sorted(datasets)}); pass one.")
    return datasets[0]

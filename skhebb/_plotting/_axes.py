"""What every figure of :mod:`skhebb.plotting` shares: matplotlib, the axes, checks, docs."""

from skhebb._docstrings import filled_from

#: Docstring entry of the ``ax`` parameter of the figures drawn on one axes.
AX_ENTRY = """\
ax : matplotlib.axes.Axes, default=None
    Axes to draw on; None creates a new figure with :mod:`matplotlib.pyplot`."""

#: Decorator of a figure: fills the line ``%(ax)s`` of its docstring.
shared_docs = filled_from({"ax": AX_ENTRY})


def figure_of(experiment, *, detail="", name="results", kind="pandas.DataFrame"):
    """Decorator of a figure of the output ``name`` of ``skhebb.experiments.<experiment>``.

    Fills these lines of its docstring (see :mod:`skhebb._docstrings`):
    ``%(parameters)s``, the heading of the Parameters section and the parameter
    ``name``, the output of the experiment (``detail`` ends its description);
    ``%(ax)s``; ``%(see_also)s``, a See Also section that names the experiment.
    """
    producer = f"skhebb.experiments.{experiment}"
    return filled_from({
        "parameters": (f"Parameters\n----------\n{name} : {kind}\n"
                       f"    The output of :func:`{producer}`{detail}."),
        "ax": AX_ENTRY,
        "see_also": f"See Also\n--------\n{producer} : Produces ``{name}``.",
    })


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

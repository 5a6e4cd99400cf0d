"""Figures of the experiments (needs matplotlib: ``pip install "skhebb[experiments]"``)."""

import numpy as np

from skhebb._plotting._axes import _finish, _matplotlib, _new_axes, figure_of, shared_docs
from skhebb._plotting._comparisons import (
    plot_feature_selection,
    plot_low_shot,
    plot_sample_efficiency,
    plot_selectors,
)

__all__ = [
    "plot_components",
    "plot_feature_connections",
    "plot_feature_selection",
    "plot_input_connectivity",
    "plot_learning_curves",
    "plot_low_shot",
    "plot_sample_efficiency",
    "plot_selectors",
    "plot_topology",
    "plot_topology_stability",
]


@figure_of("hebbset_learning_curves")
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
    %(ax)s
    percent : bool, default=None
        Show the values in percent; None means yes for accuracies.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn on.

    %(see_also)s
    """
    ax = _new_axes(ax)
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


def _connections_per_input(source, *, method=None, lambda0=None, epoch=None):
    """Connections per input feature and a title, from a fitted network or a topology table.

    ``source`` is a fitted :class:`~skhebb.neural_network.HebbSETClassifier`
    (anything with ``coefs_``), the Bunch of
    :func:`~skhebb.experiments.hebbset_topology` or its ``inputs`` DataFrame.
    For a table, the rows are filtered by ``method``, ``lambda0`` and ``epoch``
    (None: the last checkpoint) and averaged over seeds.
    """
    import scipy.sparse as sp

    if hasattr(source, "coefs_"):
        coef = sp.csr_matrix(source.coefs_[0])
        n_features = getattr(source, "n_features_in_", coef.shape[0])
        axis = 1 if coef.shape[0] == n_features else 0
        # stored connections, a regrown one with weight 0 included
        counts = np.asarray(coef.getnnz(axis=axis)).ravel().astype(float)
        lam = getattr(source, "hebbian_strength", None)
        title = "SET" if not lam else f"HebbSET λ0={lam:g}"
        return counts, f"{title}, after {getattr(source, 'n_iter_', '?')} epochs"
    table = getattr(source, "inputs", source)
    required = {"feature", "n_connections", "epoch"}
    if not hasattr(table, "columns") or not required <= set(table.columns):
        raise TypeError(
            "source must be a fitted HebbSETClassifier, the result of hebbset_topology or "
            f"its 'inputs' table with columns {sorted(required)}."
        )
    data = table
    if method is not None:
        data = data[data["method"] == method]
    if lambda0 is not None:
        data = data[np.isclose(data["lambda0"], lambda0)]
    if data.empty:
        raise ValueError(f"no rows for method={method!r}, lambda0={lambda0!r}.")
    runs = data[["method", "lambda0"]].drop_duplicates()
    if len(runs) > 1:
        raise ValueError(
            "the table holds several methods or lambda0 values "
            f"({runs.to_records(index=False).tolist()}); pass method= and/or lambda0=."
        )
    epoch = int(data["epoch"].max()) if epoch is None else int(epoch)
    data = data[data["epoch"] == epoch]
    if data.empty:
        raise ValueError(f"no rows for epoch={epoch}.")
    counts = data.groupby("feature")["n_connections"].mean().sort_index()
    full = np.zeros(int(counts.index.max()) + 1)
    full[counts.index.to_numpy()] = counts.to_numpy()
    meth, lam = runs.iloc[0]
    name = meth if lam == 0 else f"{meth} λ0={lam:g}"
    n_seeds = data["seed"].nunique() if "seed" in data else 1
    return full, f"{name}, epoch {epoch}" + (f" (mean of {n_seeds} seeds)" if n_seeds > 1 else "")


@shared_docs
def plot_input_connectivity(
    source, *, image_shape=None, method=None, lambda0=None, epoch=None, ax=None,
    cmap="viridis", colorbar=True,
):
    """Connections per input pixel as an image (the HebbSET paper's Fig. 5).

    Parameters
    ----------
    source : HebbSETClassifier, Bunch or pandas.DataFrame
        A fitted :class:`~skhebb.neural_network.HebbSETClassifier`, the result
        of :func:`skhebb.experiments.hebbset_topology` or its ``inputs`` table.
    image_shape : tuple of int, default=None
        Shape of the input image; None means a square (28 x 28 for MNIST).
    method, lambda0 : str and float, default=None
        For a table: the run to show (needed when the table holds several).
    epoch : int, default=None
        For a table: the checkpoint (None: the last one).
    %(ax)s
    cmap : str, default="viridis"
        Colour map.
    colorbar : bool, default=True
        Add a colour bar.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, holding one :class:`~matplotlib.image.AxesImage`.

    See Also
    --------
    plot_feature_connections : The same numbers for tabular data, as ranked bars.
    skhebb.experiments.hebbset_topology : Records the connections per input.
    """
    counts, title = _connections_per_input(source, method=method, lambda0=lambda0, epoch=epoch)
    if image_shape is None:
        side = int(round(np.sqrt(counts.size)))
        if side * side != counts.size:
            raise ValueError(
                f"{counts.size} inputs do not form a square image; pass image_shape= or use "
                "plot_feature_connections for tabular data."
            )
        image_shape = (side, side)
    if int(np.prod(image_shape)) != counts.size:
        raise ValueError(f"image_shape={image_shape} does not hold {counts.size} inputs.")
    ax = _new_axes(ax, figsize=(4.5, 4))
    im = ax.imshow(counts.reshape(image_shape), cmap=cmap, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize="medium")
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label="connections per input")
    return ax


@shared_docs
def plot_feature_connections(
    source, *, top=30, method=None, lambda0=None, epoch=None, feature_names=None, ax=None,
):
    """Ranked bar chart of the connections per input feature (tabular data).

    Parameters
    ----------
    source : HebbSETClassifier, Bunch or pandas.DataFrame
        As in :func:`plot_input_connectivity`.
    top : int, default=30
        Number of most connected features shown.
    method, lambda0, epoch : default=None
        As in :func:`plot_input_connectivity`.
    feature_names : sequence of str, default=None
        Names of the input features; None labels them by index.
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, holding ``top`` bars (fewer if there are fewer features) and
        a dashed line at the mean over all features.

    See Also
    --------
    plot_input_connectivity : The same numbers for images.
    """
    if int(top) < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}.")
    counts, title = _connections_per_input(source, method=method, lambda0=lambda0, epoch=epoch)
    order = np.argsort(-counts, kind="stable")[: int(top)]
    names = (
        [str(feature_names[i]) for i in order] if feature_names is not None
        else [str(i) for i in order]
    )
    ax = _new_axes(ax, figsize=(8, 3.5))
    ax.bar(np.arange(order.size), counts[order], color="tab:blue")
    ax.axhline(counts.mean(), color="k", ls="--", lw=1, label="mean over all features")
    ax.set_xticks(np.arange(order.size), names, rotation=90, fontsize="x-small")
    return _finish(ax, "input feature (ranked)", "connections", title)


@shared_docs
def plot_components(
    source, *, image_shape=None, max_components=64, n_cols=None, ax=None, cmap="RdBu_r",
):
    """A grid of learned selectors, prototypes or components (Zhu & Liu's Fig. 4).

    Parameters
    ----------
    source : fitted transformer or ndarray of shape (n_components, n_features)
        A fitted :class:`~skhebb.competitive.LateralInhibitionSelectors`,
        :class:`~skhebb.competitive.SoftWTA` or
        :class:`~skhebb.decomposition.HebbianPCA` (its ``components_``), or the
        matrix itself.
    image_shape : tuple of int, default=None
        Shape of one component as an image; None means a square when
        ``n_features`` is a perfect square, else the components are shown as
        one heat map (rows: components, columns: features).
    max_components : int, default=64
        Show at most the first ``max_components``.
    n_cols : int, default=None
        Columns of the grid; None means about a square grid.
    %(ax)s
    cmap : str, default="RdBu_r"
        Colour map; each component is scaled to its largest magnitude, so
        0 is the middle colour.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, holding one :class:`~matplotlib.image.AxesImage` (the tiled
        grid, with NaN gaps between tiles).
    """
    W = np.asarray(getattr(source, "components_", source), dtype=np.float64)
    if W.ndim != 2 or W.size == 0:
        raise ValueError(f"expected components of shape (n_components, n_features), "
                         f"got shape {W.shape}.")
    W = W[: int(max_components)]
    scale = np.abs(W).max(axis=1, keepdims=True)
    W = W / np.where(scale > 0, scale, 1.0)
    n, d = W.shape
    if image_shape is None:
        side = int(round(np.sqrt(d)))
        image_shape = (side, side) if side * side == d else None
    ax = _new_axes(ax, figsize=(6, 6))
    if image_shape is None:
        ax.imshow(W, cmap=cmap, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_xlabel("feature")
        ax.set_ylabel("component")
    else:
        h, w = (int(v) for v in image_shape)
        if h * w != d:
            raise ValueError(f"image_shape={image_shape} does not hold {d} features.")
        cols = int(n_cols) if n_cols else int(np.ceil(np.sqrt(n)))
        rows = int(np.ceil(n / cols))
        grid = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
        for i in range(n):
            r, c = divmod(i, cols)
            grid[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = W[i].reshape(h, w)
        ax.imshow(grid, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    name = type(source).__name__ if hasattr(source, "components_") else "components"
    ax.set_title(f"{name}: {n} units", fontsize="medium")
    return ax


@figure_of("hebbset_topology", name="topology", kind=":class:`~sklearn.utils.Bunch`")
def plot_topology_stability(topology, *, layer=1, ax=None):
    """Fraction of a layer's connections present at the last checkpoint (HebbSET's Fig. 7).

    %(parameters)s
    layer : int, default=1
        The layer (1 is the input layer).
    %(ax)s

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, with one line (mean over seeds) per method and lambda0.

    See Also
    --------
    plot_topology : This panel beside the connections per input.
    """
    layers = topology.layers
    data = layers[(layers["metric"] == "fraction_in_final") & (layers["layer"] == int(layer))]
    if data.empty:
        raise ValueError(f"topology holds no 'fraction_in_final' rows for layer {layer}.")
    ax = _new_axes(ax)
    for (method, lam), group in data.groupby(["method", "lambda0"]):
        stats = group.groupby("epoch")["value"].mean().sort_index()
        label = method if lam == 0 else f"{method} λ0={lam:g}"
        ax.plot(stats.index.to_numpy(), stats.to_numpy(), marker="o", ms=3, label=label)
    what = "input-layer" if int(layer) == 1 else f"layer {layer}"
    return _finish(ax, "epoch", f"{what} connections present at the end",
                   "topology stabilisation (Fig. 7)")


@figure_of("hebbset_topology", name="topology", kind=":class:`~sklearn.utils.Bunch`")
def plot_topology(topology, *, fig=None):
    """Connections per input for each lambda0 and the stabilisation of the input layer.

    One panel per value of lambda0 (:func:`plot_input_connectivity` when the
    inputs form a square image, :func:`plot_feature_connections` otherwise)
    and a last panel with :func:`plot_topology_stability`.

    %(parameters)s
    fig : matplotlib.figure.Figure, default=None
        Figure to draw on (it should be empty); None creates a new one.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure, with one row of panels.

    %(see_also)s
    """
    _matplotlib()
    inputs = topology.inputs
    lambdas = sorted(inputs["lambda0"].unique())
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(5 * (len(lambdas) + 1), 4), layout="constrained")
    axes = [fig.add_subplot(1, len(lambdas) + 1, i + 1) for i in range(len(lambdas) + 1)]
    side = int(round(np.sqrt(inputs["feature"].max() + 1)))
    image = side * side == inputs["feature"].max() + 1
    for ax, lam in zip(axes[:-1], lambdas, strict=True):
        method = "SET" if lam == 0 else "HebbSET"
        if image:
            plot_input_connectivity(inputs, method=method, lambda0=lam, ax=ax)
        else:
            plot_feature_connections(inputs, method=method, lambda0=lam, ax=ax)
    plot_topology_stability(topology, ax=axes[-1])
    return fig

"""The evolving sparse topology of SET and HebbSET (the HebbSET paper's Figures 5-7, Table III).

The runs follow the paper's protocol (:mod:`skhebb.experiments._hebbset_runs`)
and record the network's connections at checkpoints.
"""


import numpy as np
from sklearn.utils import Bunch

from skhebb.experiments._common import pandas, takes_output_of
from skhebb.experiments._hebbset_runs import (
    protocol_parameters,
    run_protocol,
    runs_frame,
)
from skhebb.experiments._published import HEBBSET_TABLE3

__all__ = ["hebbset_topology", "summarize_topology"]


@protocol_parameters(lambdas=(0, 0.01))
def hebbset_topology(dataset="mnist2400", *, checkpoints=None, protocol):
    """The evolving sparse topology of SET and HebbSET runs, as tidy tables.

    Same protocol and parameters as :func:`hebbset_learning_curves`; at each
    checkpoint the network's connections are recorded: how many connections
    each input feature has (the paper's Fig. 5: under HebbSET they concentrate
    on the informative inputs), which fraction of each layer's connections
    survived since the previous checkpoint (Fig. 6) and which fraction is still
    there at the last checkpoint (Fig. 7), and weight-sign statistics (Table III).

    Parameters
    ----------
    dataset : str, default="mnist2400"
        The workload, as in :func:`hebbset_learning_curves`.
    lambdas : sequence of float, default=(0, 0.01)
        Values of lambda0; 0 is plain SET.
    seeds : int or sequence of int, default=range(10)
        One run per seed and lambda0.
    epochs : int, default=250
        Training epochs per run.
    checkpoints : sequence of int, default=None
        0-based epochs at which the topology is recorded; None means epoch 0,
        every 25th epoch and the last one (the paper's Fig. 6 spacing).
    %(protocol)s

    Returns
    -------
    topology : :class:`~sklearn.utils.Bunch`
        With two pandas DataFrames:

        layers
            Columns ``dataset, method, lambda0, seed, epoch, layer, metric,
            value``; layer 1 is the input layer. Metrics: ``n_connections``,
            ``positive_fraction``, ``mean_positive``, ``mean_negative``,
            ``fraction_kept`` (since the previous checkpoint) and
            ``fraction_in_final`` (present at the last checkpoint).
        inputs
            Columns ``dataset, method, lambda0, seed, epoch, feature,
            n_connections``: the number of outgoing connections of every input
            feature (for MNIST, reshape to 28 x 28 to see Fig. 5).

    See Also
    --------
    hebbset_learning_curves : Accuracy of the same protocol.

    References
    ----------
    .. [1] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing learning in sparse
       neural networks: a Hebbian learning approach", University of Twente,
       2023 (HebbSET), Figures 5-7 and Table III.

    Examples
    --------
    >>> from skhebb.experiments import hebbset_topology
    >>> topo = hebbset_topology("tox171", lambdas=(0.01,), seeds=(0,), epochs=3,
    ...                         hidden_layer_sizes=(8,), n_threads=1)
    >>> sorted(topo.layers["epoch"].unique().tolist())
    [0, 2]
    >>> per_input = topo.inputs.groupby("epoch")["n_connections"].sum()
    >>> first = topo.layers.query("metric == 'n_connections' and layer == 1")
    >>> bool((per_input == first.set_index("epoch")["value"]).all())
    True
    """
    if checkpoints is None:
        epochs = int(protocol.epochs)
        checkpoints = sorted({0, *range(25, epochs, 25), epochs - 1})
    runs, settings = run_protocol(dataset, protocol, eval_epochs=[], topology_epochs=checkpoints)
    layer_rows = [
        (lam, seed, epoch, layer, metric, value)
        for (seed, lam), (_, layers, _) in runs
        for epoch, layer, metric, value in layers
    ]
    input_rows = [
        (lam, seed, epoch, feature, n)
        for (seed, lam), (_, _, inputs) in runs
        for epoch, counts in inputs
        for feature, n in enumerate(counts.tolist())
    ]
    return Bunch(
        layers=runs_frame(
            layer_rows, ["lambda0", "seed", "epoch", "layer", "metric", "value"], settings
        ),
        inputs=runs_frame(
            input_rows, ["lambda0", "seed", "epoch", "feature", "n_connections"], settings
        ),
    )


def _concentration(counts):
    """Share of the connections held by the top 10 % of inputs, and the Gini coefficient."""
    counts = np.sort(np.asarray(counts, dtype=np.float64))
    total = counts.sum()
    if total == 0:
        return np.nan, np.nan
    top = max(1, int(np.ceil(0.1 * counts.size)))
    share = counts[-top:].sum() / total
    n = counts.size
    gini = (2.0 * np.sum(np.arange(1, n + 1) * counts) / (n * total)) - (n + 1.0) / n
    return float(share), float(gini)


@takes_output_of(hebbset_topology, "topology", ":class:`~sklearn.utils.Bunch`")
def summarize_topology(topology):
    """Summaries of :func:`hebbset_topology`: weight signs, stability, input concentration.

    %(parameters)s

    Returns
    -------
    summary : :class:`~sklearn.utils.Bunch`
        With three pandas DataFrames (means over seeds):

        weights
            The paper's Table III at the last checkpoint: per method,
            lambda0 and layer, ``positive_percent`` (mean and std over
            seeds), ``mean_positive``, ``mean_negative``, and the published
            MNIST values (``paper_positive_percent``, ``paper_mean_positive``,
            ``paper_mean_negative``, HebbSET with lambda0 = 0.01) for the same
            layer number.
        stability
            Per method, lambda0, layer and checkpoint: ``fraction_kept``
            (connections present at the previous checkpoint that are still
            there; Fig. 6) and ``fraction_in_final`` (Fig. 7).
        inputs
            Per method, lambda0 and checkpoint: ``top10_share`` (fraction of
            the input layer's connections that belong to the 10 % most
            connected inputs; 0.1 for a uniform spread) and ``gini`` (Gini
            coefficient of the connections per input; Fig. 5 as numbers).

    See Also
    --------
    hebbset_topology : Produces ``topology``.

    Examples
    --------
    >>> from skhebb.experiments import hebbset_topology, summarize_topology
    >>> topo = hebbset_topology("tox171", lambdas=(0, 0.01), seeds=(0,), epochs=2,
    ...                         hidden_layer_sizes=(8,), n_threads=1)
    >>> summary = summarize_topology(topo)
    >>> summary.weights[["method", "layer"]].values.tolist()
    [['SET', 1], ['SET', 2], ['HebbSET', 1], ['HebbSET', 2]]
    """
    pd = pandas()
    layers = topology.layers
    keys = ["dataset", "method", "lambda0"]
    last = layers[layers["epoch"] == layers["epoch"].max()]
    wide = last.pivot_table(index=[*keys, "seed", "layer"], columns="metric",
                            values="value").reset_index()
    wide["positive_percent"] = wide["positive_fraction"] * 100
    weights = (
        wide.groupby([*keys, "layer"])
        .agg(
            n_runs=("seed", "count"),
            positive_percent=("positive_percent", "mean"),
            positive_percent_std=("positive_percent", "std"),
            mean_positive=("mean_positive", "mean"),
            mean_negative=("mean_negative", "mean"),
        )
        .reset_index()
    )
    paper = pd.DataFrame.from_records(HEBBSET_TABLE3).rename(
        columns={
            "positive_percent": "paper_positive_percent",
            "mean_positive": "paper_mean_positive",
            "mean_negative": "paper_mean_negative",
        }
    )[["method", "layer", "paper_positive_percent", "paper_mean_positive",
       "paper_mean_negative"]]
    weights = weights.merge(paper, how="left", on=["method", "layer"])
    weights = weights.sort_values(["dataset", "lambda0", "layer"]).reset_index(drop=True)

    kept = layers[layers["metric"].isin(["fraction_kept", "fraction_in_final"])]
    stability = (
        kept.pivot_table(index=[*keys, "layer", "epoch"], columns="metric", values="value",
                         aggfunc="mean")
        .reset_index()
        .sort_values(["dataset", "lambda0", "layer", "epoch"])
        .reset_index(drop=True)
    )
    stability.columns.name = None

    rows = []
    for key, group in topology.inputs.groupby([*keys, "seed", "epoch"], sort=True):
        rows.append((*key, *_concentration(group["n_connections"].to_numpy())))
    conc = pd.DataFrame.from_records(rows, columns=[*keys, "seed", "epoch", "top10_share",
                                                    "gini"])
    inputs = (
        conc.groupby([*keys, "epoch"])[["top10_share", "gini"]].mean().reset_index()
        .sort_values(["dataset", "lambda0", "epoch"]).reset_index(drop=True)
    )
    return Bunch(weights=weights, stability=stability, inputs=inputs)

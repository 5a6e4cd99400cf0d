"""The HebbSET paper's Table II: test accuracy of SET and HebbSET per epoch.

The runs follow the paper's protocol (:mod:`skhebb.experiments._hebbset_runs`);
:func:`summarize_table2` puts their mean and std beside the published values.
"""

import numpy as np

from skhebb.datasets._registry import DATASETS
from skhebb.experiments._common import (
    accuracy_rows,
    accuracy_stats,
    pandas,
    takes_output_of,
)
from skhebb.experiments._hebbset_runs import protocol_parameters, run_protocol, runs_frame
from skhebb.experiments._published import HEBBSET_TABLE2

__all__ = ["format_table2", "hebbset_learning_curves", "summarize_table2"]


@protocol_parameters(lambdas=(0, 0.005, 0.01, 0.025))
def hebbset_learning_curves(dataset="tox171", *, eval_epochs=None, protocol):
    """Test accuracy of SET and HebbSET per epoch: the paper's Table II protocol.

    Parameters
    ----------
    dataset : str, default="tox171"
        The workload: ``"tox171"``, ``"prostate_ge"``, ``"lung"`` or
        ``"mnist2400"`` (the data sets of the registry with a network of the
        paper). TOX-171 is bundled with skhebb (the Lung-like table); the
        others are read from the data home (:mod:`skhebb.datasets`).
    lambdas : sequence of float, default=(0, 0.005, 0.01, 0.025)
        Values of lambda0, the initial strength of the Hebbian term
        (``hebbian_strength``); 0 is plain SET.
    seeds : int or sequence of int, default=range(10)
        One run per seed and lambda0. The seed fixes the MNIST subset, the
        split, the initial network and the training (``random_state``).
    epochs : int, default=250
        Training epochs per run.
    eval_epochs : sequence of int, default=None
        0-based epochs after which the test split is scored; None means every
        epoch. The paper reports epochs 50 and 249.
    %(protocol)s

    Returns
    -------
    results : pandas.DataFrame
        Tidy table, one row per run, epoch and metric, with columns
        ``dataset, method ("SET" or "HebbSET"), lambda0, seed, epoch, metric,
        value``. Metrics: ``test_accuracy`` (fraction) and ``train_loss``
        (mean mini-batch loss of the epoch, when the estimator records one).
        ``results.attrs["settings"]`` holds every setting of the experiment.

    See Also
    --------
    summarize_table2 : Mean and std at epochs 50 and 249 beside the paper's.
    hebbset_topology : The evolving topology of the same runs.
    skhebb.plotting.plot_learning_curves : Plot the curves with std bands.

    Notes
    -----
    Epochs are 0-based: epoch ``e`` is the state after ``e + 1`` passes, so the
    paper's "epoch 249" is the end of a 250-epoch run. Each ``partial_fit`` call
    ends with a SET evolution step (prune, then regrow), so every evaluation
    sees a network of constant size; the paper skips the regrowth after the very
    last epoch, which only adds connections with small fresh weights here.

    References
    ----------
    .. [1] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing learning in sparse
       neural networks: a Hebbian learning approach", University of Twente,
       2023 (HebbSET).
    .. [2] D. C. Mocanu et al., "Scalable training of artificial neural networks
       with adaptive sparse connectivity inspired by network science", Nature
       Communications 9, 2018 (SET).

    Examples
    --------
    >>> from skhebb.experiments import hebbset_learning_curves, summarize_table2
    >>> results = hebbset_learning_curves(
    ...     "tox171", lambdas=(0, 0.01), seeds=(0, 1), epochs=2,
    ...     hidden_layer_sizes=(8,), n_threads=1)
    >>> sorted(results["metric"].unique())
    ['test_accuracy', 'train_loss']
    >>> summarize_table2(results)[["method", "lambda0", "epoch", "n_runs"]]
        method  lambda0  epoch  n_runs
    0      SET     0.00      1       2
    1  HebbSET     0.01      1       2
    """
    runs, settings = run_protocol(dataset, protocol, eval_epochs=eval_epochs,
                                  topology_epochs=None)
    rows = [
        (lam, seed, epoch, metric, value)
        for (seed, lam), (curve, _, _) in runs
        for epoch, metric, value in curve
    ]
    return runs_frame(rows, ["lambda0", "seed", "epoch", "metric", "value"], settings)


def summarize_table2(results, *, epochs=(50, 249)):
    """Mean and std of the test accuracy per method and epoch, beside the paper's.

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`hebbset_learning_curves` (or several of them
        concatenated).
    epochs : sequence of int, default=(50, 249)
        0-based epochs to report (the paper's Table II: 50 and 249). Epochs the
        results do not hold are left out; the last epoch of the results is
        always reported, so that a short run still gives a table.

    Returns
    -------
    table : pandas.DataFrame
        One row per dataset, method, lambda0 and epoch with ``n_runs``,
        ``accuracy_mean`` and ``accuracy_std`` (percent, std with ddof=1 as
        over the paper's 10 runs; NaN for a single run) and the published
        ``paper_dataset``, ``paper_mean`` and ``paper_std`` where the paper has
        a value for that lambda0 and epoch (Lung for the Lung-like tables).

    See Also
    --------
    hebbset_learning_curves : Produces ``results``.
    """
    acc = accuracy_rows(results)
    chosen = {int(e) for e in epochs}
    available = set(acc["epoch"].unique().tolist())
    chosen = sorted((chosen & available) | {int(acc["epoch"].max())})
    acc = acc[acc["epoch"].isin(chosen)]
    table = accuracy_stats(acc, ["dataset", "method", "lambda0", "epoch"])
    table["paper_dataset"] = table["dataset"].map(
        lambda d: DATASETS[d].published if d in DATASETS else np.nan
    )
    paper = pandas().DataFrame.from_records(HEBBSET_TABLE2).rename(
        columns={
            "dataset": "paper_dataset",
            "accuracy_mean": "paper_mean",
            "accuracy_std": "paper_std",
        }
    )[["paper_dataset", "method", "lambda0", "epoch", "paper_mean", "paper_std"]]
    table = table.merge(paper, how="left", on=["paper_dataset", "method", "lambda0", "epoch"])
    return table.sort_values(["dataset", "lambda0", "epoch"]).reset_index(drop=True)


@takes_output_of(summarize_table2, "table")
def format_table2(table):
    """Text of a :func:`summarize_table2` table: ``mean ± std`` beside the paper's.

    %(parameters)s

    Returns
    -------
    text : str
        A fixed-width table, one row per method, value of lambda0 and epoch.
    """
    pd = pandas()

    def pm(means, stds):
        return [
            "–" if pd.isna(m) else f"{m:.1f}" if pd.isna(s) else f"{m:.1f} ± {s:.1f}"
            for m, s in zip(means, stds, strict=True)
        ]

    shown = pd.DataFrame(
        {
            "dataset": table["dataset"],
            "method": table["method"],
            "λ0": table["lambda0"].map(lambda v: "–" if v == 0 else f"{v:g}"),
            "epoch": table["epoch"],
            "runs": table["n_runs"],
            "accuracy %": pm(table["accuracy_mean"], table["accuracy_std"]),
            "paper %": pm(table["paper_mean"], table["paper_std"]),
        }
    )
    return shown.to_string(index=False)

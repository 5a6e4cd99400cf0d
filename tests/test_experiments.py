"""The HebbSET experiment functions on tiny settings, the Table II summary and the Dask run."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from skhebb.experiments import (
    format_table2,
    hebbset_learning_curves,
    hebbset_topology,
    lateral_inhibition_accuracy,
    load_hebbset_data,
    summarize_table2,
)
from skhebb.experiments._hebbset_runs import _prepare
from skhebb.experiments._published import HEBBSET_TABLE2, HEBBSET_TABLE3

pytest.importorskip("skhebb.neural_network._hebbset")

# one numba thread per run: tiny kernels on a loaded machine spend their time in thread launches
TINY = dict(
    lambdas=(0, 0.01), seeds=(0, 1), epochs=3, hidden_layer_sizes=(8,), epsilon=2, n_threads=1
)


@pytest.fixture(scope="module")
def tiny_curves():
    return hebbset_learning_curves("tox171", **TINY)


def test_learning_curves_tidy_table(tiny_curves):
    df = tiny_curves
    assert list(df.columns) == ["dataset", "method", "lambda0", "seed", "epoch", "metric", "value"]
    acc = df[df["metric"] == "test_accuracy"]
    # 2 lambdas x 2 seeds x 3 epochs
    assert len(acc) == 12
    assert set(acc["epoch"]) == {0, 1, 2}
    assert acc["value"].between(0, 1).all()
    # 43 test samples: accuracies are multiples of 1/43
    np.testing.assert_allclose((acc["value"] * 43).round(), acc["value"] * 43, atol=1e-9)
    assert set(zip(df["method"], df["lambda0"], strict=True)) == {("SET", 0.0), ("HebbSET", 0.01)}
    loss = df[df["metric"] == "train_loss"]
    assert len(loss) == 12 and np.isfinite(loss["value"]).all()
    settings = df.attrs["settings"]
    assert settings["hidden_layer_sizes"] == (8,) and settings["batch_size"] == 30
    assert settings["learning_rate_init"] == 0.02 and settings["zeta"] == 0.3
    assert settings["solver"] == "sgd" and settings["final_prune"]  # the paper configuration


def test_learning_curves_are_seeded(tiny_curves):
    again = hebbset_learning_curves("tox171", **TINY)
    assert_frame_equal(again, tiny_curves)
    other = hebbset_learning_curves("tox171", **dict(TINY, seeds=(2,)))
    assert not np.array_equal(
        other[other.metric == "train_loss"]["value"].to_numpy(),
        tiny_curves[(tiny_curves.seed == 0) & (tiny_curves.metric == "train_loss")]["value"],
    )


def test_thread_count_does_not_change_results(tiny_curves):
    df = hebbset_learning_curves("tox171", **dict(TINY, seeds=(1,), lambdas=(0.01,), n_threads=2))
    expected = tiny_curves[(tiny_curves.seed == 1) & (tiny_curves.lambda0 == 0.01)]
    assert_frame_equal(df.reset_index(drop=True), expected.reset_index(drop=True))


def test_eval_epochs_subset(tiny_curves):
    df = hebbset_learning_curves("tox171", **dict(TINY, seeds=(0,)), eval_epochs=[2])
    assert set(df["epoch"]) == {2}
    # the same runs: the values at epoch 2 do not depend on which epochs are scored
    full = tiny_curves[(tiny_curves.seed == 0) & (tiny_curves.epoch == 2)].reset_index(drop=True)
    assert_frame_equal(df.reset_index(drop=True), full, check_like=True)


def test_prepare_protocol():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(3000, 20)).astype(np.uint8)
    y = np.repeat(np.arange(10), 300)
    X_tr, X_te, y_tr, y_te = _prepare(X, y, "mnist2400", 3, test_size=0.25, dtype=np.float32)
    assert X_tr.shape == (1800, 20) and X_te.shape == (600, 20)
    assert X_tr.dtype == np.float32
    np.testing.assert_allclose(X_tr.min(axis=1), 0)
    assert (X_tr.max(axis=1) < 1).all()
    # stratified: class proportions of the subset kept in the test split
    sub = np.bincount(np.concatenate([y_tr, y_te]), minlength=10)
    assert sub.sum() == 2400  # the paper's MNIST-2400 subset
    assert np.abs(np.bincount(y_te, minlength=10) - sub / 4).max() <= 1
    again = _prepare(X, y, "mnist2400", 3, test_size=0.25, dtype=np.float32)
    np.testing.assert_array_equal(again[0], X_tr)
    other = _prepare(X, y, "mnist2400", 4, test_size=0.25, dtype=np.float32)
    assert not np.array_equal(other[0], X_tr)
    # a table is not subset
    X_tr, X_te, _, _ = _prepare(X[:200], y[:200] % 2, "tox171", 0, test_size=0.25, dtype=np.float64)
    assert X_tr.shape[0] + X_te.shape[0] == 200 and X_tr.dtype == np.float64


def test_mnist2400_end_to_end(data_home):
    X, y = load_hebbset_data("mnist2400", data_home=data_home)
    assert X.shape == (60000, 784)
    df = hebbset_learning_curves(
        "mnist2400",
        lambdas=(0.01,),
        seeds=(0,),
        epochs=2,
        hidden_layer_sizes=(16,),
        epsilon=2,
        n_threads=1,
        data=(X, y),
    )
    acc = df[df.metric == "test_accuracy"]["value"]
    assert len(acc) == 2 and acc.between(0, 1).all()
    assert df.attrs["settings"]["batch_size"] == 200


def test_topology_record():
    topo = hebbset_topology("tox171", **dict(TINY, seeds=(0,), epochs=4), checkpoints=[0, 2, 3])
    layers, inputs = topo.layers, topo.inputs
    assert set(layers["epoch"]) == {0, 2, 3} and set(layers["layer"]) == {1, 2}
    metrics = set(layers["metric"])
    assert metrics == {
        "n_connections", "positive_fraction", "mean_positive", "mean_negative",
        "fraction_kept", "fraction_in_final",
    }
    final = layers[(layers.metric == "fraction_in_final") & (layers.epoch == 3)]
    np.testing.assert_allclose(final["value"], 1.0)
    kept = layers[layers.metric == "fraction_kept"]
    assert set(kept["epoch"]) == {2, 3} and kept["value"].between(0, 1).all()
    assert (layers[layers.metric == "mean_negative"]["value"] < 0).all()
    # connections per input feature add up to the first layer's connections
    n_features = 5748
    assert len(inputs) == 2 * 3 * n_features
    per_run = inputs.groupby(["lambda0", "epoch"])["n_connections"].sum()
    first = layers[(layers.metric == "n_connections") & (layers.layer == 1)]
    first = first.set_index(["lambda0", "epoch"])["value"]
    np.testing.assert_array_equal(per_run.sort_index().to_numpy(), first.sort_index().to_numpy())


def test_topology_default_checkpoints():
    topo = hebbset_topology("tox171", **dict(TINY, seeds=(0,), lambdas=(0.01,), epochs=2))
    assert set(topo.layers["epoch"]) == {0, 1}


def _synthetic(values, epochs=(50, 249), dataset="tox171"):
    rows = []
    for lam, accs in values.items():
        for seed, acc in enumerate(accs):
            for epoch in epochs:
                rows.append((dataset, "SET" if lam == 0 else "HebbSET", lam, seed, epoch,
                             "test_accuracy", acc))
    return pd.DataFrame(rows, columns=["dataset", "method", "lambda0", "seed", "epoch",
                                       "metric", "value"])


def test_summarize_table2_against_published():
    results = _synthetic({0.0: [0.70, 0.80, 0.90], 0.01: [0.5, 0.5, 0.5]})
    table = summarize_table2(results)
    assert len(table) == 4
    row = table[(table.lambda0 == 0) & (table.epoch == 249)].iloc[0]
    assert row["n_runs"] == 3
    assert row["accuracy_mean"] == pytest.approx(80.0)
    assert row["accuracy_std"] == pytest.approx(10.0)  # ddof=1
    assert row["paper_dataset"] == "Lung"
    assert (row["paper_mean"], row["paper_std"]) == (92, 3.5)
    row = table[(table.lambda0 == 0.01) & (table.epoch == 50)].iloc[0]
    assert (row["paper_mean"], row["paper_std"]) == (79, 3.8)
    assert row["accuracy_std"] == 0
    text = format_table2(table)
    assert "80.0 ± 10.0" in text and "92.0 ± 3.5" in text and "HebbSET" in text


def test_summarize_short_run_reports_last_epoch():
    results = _synthetic({0.0: [0.4], 0.025: [0.6]}, epochs=(0, 1, 2), dataset="mnist2400")
    table = summarize_table2(results)
    assert set(table["epoch"]) == {2}
    assert table["paper_mean"].isna().all() and (table["paper_dataset"] == "MNIST").all()
    assert table["accuracy_std"].isna().all()
    assert "–" in format_table2(table)
    with pytest.raises(ValueError, match="no 'test_accuracy'"):
        summarize_table2(results[results.metric == "train_loss"])


def test_published_tables_complete():
    keys = {(r["method"], r["lambda0"], r["dataset"], r["epoch"]) for r in HEBBSET_TABLE2}
    assert len(keys) == len(HEBBSET_TABLE2) == 16
    assert {r["lambda0"] for r in HEBBSET_TABLE2} == {0, 0.005, 0.01, 0.025}
    assert len(HEBBSET_TABLE3) == 8


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(dataset="cifar"), "dataset must be one of"),
        (dict(epochs=0), "epochs must be a positive integer"),
        (dict(lambdas=(-0.1,)), "nonnegative"),
        (dict(seeds=(1, 1)), "must not repeat"),
        (dict(n_threads=0), "n_threads must be"),
        (dict(eval_epochs=[5]), r"eval_epochs must lie in .*\[0, 2\], got \[5\]"),
    ],
)
def test_bad_arguments(kwargs, match):
    params = dict(TINY, **kwargs)
    dataset = params.pop("dataset", "tox171")
    with pytest.raises(ValueError, match=match):
        hebbset_learning_curves(dataset, **params)


def test_missing_data_home(tmp_path):
    with pytest.raises(FileNotFoundError, match="lung.mat"):
        hebbset_learning_curves("lung", **TINY, data_home=tmp_path)


def test_plot_learning_curves(tiny_curves):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from skhebb.plotting import plot_learning_curves

    ax = plot_learning_curves(tiny_curves, ax=Figure().add_subplot())
    assert len(ax.get_lines()) == 2
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"SET", "HebbSET λ0=0.01"}
    y = ax.get_lines()[0].get_ydata()
    assert len(y) == 3 and (0 <= y).all() and (y <= 100).all()
    with pytest.raises(ValueError, match="no rows with metric"):
        plot_learning_curves(tiny_curves, metric="test_loss", ax=Figure().add_subplot())


def test_dask_backend_gives_the_sequential_results(tiny_curves):
    pytest.importorskip("distributed")
    import joblib
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        parallel = hebbset_learning_curves("tox171", **TINY, n_jobs=2)
    assert_frame_equal(parallel, tiny_curves)


def test_protocol_parameters_written_once():
    import inspect

    from skhebb.experiments._hebbset_runs import Protocol

    curves = inspect.signature(hebbset_learning_curves).parameters
    topo = inspect.signature(hebbset_topology).parameters
    shared = [f for f in Protocol.__dataclass_fields__]
    assert list(curves)[:5] == ["dataset", "lambdas", "seeds", "epochs", "eval_epochs"]
    assert list(topo)[:5] == ["dataset", "lambdas", "seeds", "epochs", "checkpoints"]
    for name in shared:
        assert curves[name].kind is inspect.Parameter.KEYWORD_ONLY and name in topo
        if name != "lambdas":
            assert curves[name].default == topo[name].default
    assert curves["lambdas"].default == (0, 0.005, 0.01, 0.025)
    assert topo["lambdas"].default == (0, 0.01) and topo["dataset"].default == "mnist2400"
    with pytest.raises(TypeError, match="unexpected keyword argument 'epoch'"):
        hebbset_learning_curves("tox171", epoch=3)
    with pytest.raises(TypeError, match="checkpoints"):
        hebbset_learning_curves("tox171", checkpoints=[0])


def test_a_registered_dataset_is_one_entry(monkeypatch):
    from skhebb.datasets._registry import DATASETS, Dataset
    from skhebb.experiments import sample_efficiency

    toy = Dataset("toy", kind="table", loader="load_tox171",
                  experiments=("hebbset", "sample_efficiency"), hidden=(8,), batch_size=16,
                  published="Lung")
    monkeypatch.setitem(DATASETS, "toy", toy)
    df = hebbset_learning_curves("toy", lambdas=(0.01,), seeds=(0,), epochs=1, n_threads=1)
    settings = df.attrs["settings"]
    assert settings["hidden_layer_sizes"] == (8,) and settings["batch_size"] == 16
    table = summarize_table2(df)
    assert (table["paper_dataset"] == "Lung").all()  # the published name of the entry
    res = sample_efficiency("toy", methods=("raw",), fractions=(1.0,), seeds=(0,))
    assert set(res["dataset"]) == {"toy"} and res["value"].notna().all()
    with pytest.raises(ValueError, match="dataset must be one of"):
        lateral_inhibition_accuracy("toy")

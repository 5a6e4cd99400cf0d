"""The selectors, sample-efficiency, low-shot and topology-summary experiments, tiny settings."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from joblib import parallel_config
from pandas.testing import assert_frame_equal

from skhebb.experiments import (
    first_per_class,
    hebbset_topology,
    labeled_mask,
    lateral_inhibition_accuracy,
    low_shot,
    sample_efficiency,
    summarize_low_shot,
    summarize_sample_efficiency,
    summarize_selectors,
    summarize_topology,
)
from skhebb.experiments._published import LOW_SHOT_PUBLISHED, SELECTORS_TABLE3
from skhebb.experiments._sample_efficiency import METHODS
from skhebb.experiments._topology import _concentration


def _blobs(n_per_class=40, n_features=16, seed=0):
    """Three classes, each lifting its own block of features (all values in [0, 2])."""
    rng = np.random.RandomState(seed)
    y = np.repeat([0, 1, 2], n_per_class)
    X = rng.rand(y.size, n_features)
    block = n_features // 4
    for c in range(3):
        X[y == c, c * block:(c + 1) * block] += 1.0
    order = rng.permutation(y.size)
    return X[order], y[order]


def _split(X, y):
    return X[::2], y[::2], X[1::2], y[1::2]


def _drop_times(df):
    return df[~df["metric"].str.contains("time")].reset_index(drop=True)


# ------------------------------------------------------------------ selectors
@pytest.fixture(scope="module")
def selectors_run():
    X, y = _blobs()
    return lateral_inhibition_accuracy(
        data=_split(X, y), inhibitions=(1, 10), seeds=(0, 1), n_selectors=6, max_iter=5,
        readout=("logistic", "delta"),
    )


def test_selectors_tidy_table(selectors_run):
    df = selectors_run
    assert list(df.columns) == ["dataset", "method", "inhibition", "n_selectors", "seed",
                                "n_train", "readout", "metric", "value"]
    acc = df[df["metric"] == "test_accuracy"]
    # 2 lambdas x 2 seeds x 2 read-outs
    assert len(acc) == 8 and set(acc["readout"]) == {"logistic", "delta"}
    assert acc["value"].between(0, 1).all()
    dead = df[df["metric"] == "n_dead"]["value"]
    assert dead.between(0, 6).all() and len(dead) == 4
    # three separable blobs: the logistic read-out on the selectors is far above chance
    assert acc[acc["readout"] == "logistic"]["value"].mean() > 0.6


def test_selectors_seeded(selectors_run):
    X, y = _blobs()
    again = lateral_inhibition_accuracy(
        data=_split(X, y), inhibitions=(1, 10), seeds=(0, 1), n_selectors=6, max_iter=5,
    )
    assert_frame_equal(_drop_times(again), _drop_times(selectors_run))


def test_selectors_parallel_backend_same_results(selectors_run):
    X, y = _blobs()
    with parallel_config(backend="threading"):
        par = lateral_inhibition_accuracy(
            data=_split(X, y), inhibitions=(1, 10), seeds=(0, 1), n_selectors=6, max_iter=5,
            n_jobs=2,
        )
    assert_frame_equal(_drop_times(par), _drop_times(selectors_run))


def test_selectors_summary_against_paper(selectors_run):
    table = summarize_selectors(selectors_run.assign(dataset="mnist"))
    assert len(table) == 4 and (table["n_runs"] == 2).all()
    row = table[(table["inhibition"] == 10) & (table["readout"] == "delta")].iloc[0]
    assert row["paper_delta"] == 79.32 and row["paper_oja"] == 70.25
    assert 0 <= row["accuracy_mean"] <= 100


def test_selectors_table3_complete():
    for ds in ("mnist", "fashion_mnist"):
        for ro in ("delta", "oja"):
            lams = [r["inhibition"] for r in SELECTORS_TABLE3
                    if r["dataset"] == ds and r["readout"] == ro]
            assert lams == [float(v) for v in range(1, 16)]
    best = max(SELECTORS_TABLE3, key=lambda r: r["accuracy"] if r["dataset"] == "mnist" else 0)
    assert (best["inhibition"], best["readout"], best["accuracy"]) == (10.0, "delta", 79.32)


def test_selectors_on_mnist(data_home):
    res = lateral_inhibition_accuracy(
        "mnist", inhibitions=(10,), n_train=1000, n_test=1000, readout="logistic",
        data_home=data_home,
    )
    acc = res.query("metric == 'test_accuracy'")["value"].item()
    assert res["n_train"].iloc[0] == 1000
    assert acc > 0.6  # 64 selectors, 1000 images; chance is 0.1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(inhibitions=(0.5,)), "inhibitions must be values >= 1"),
        (dict(readout="softmax"), "readout must be"),
        (dict(seeds=(1, 1)), "without repeats"),
    ],
)
def test_selectors_bad_arguments(kwargs, match):
    X, y = _blobs()
    with pytest.raises(ValueError, match=match):
        lateral_inhibition_accuracy(data=_split(X, y), n_selectors=4, **kwargs)


def test_unknown_image_dataset():
    with pytest.raises(ValueError, match="dataset must be one of"):
        lateral_inhibition_accuracy("cifar10")


# ------------------------------------------------------------------ low shot
def test_first_per_class_matches_naive():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 4, 200)
    for k in (1, 3, 100):
        naive = []
        seen = {}
        for i, label in enumerate(y):
            if seen.get(label, 0) < k:
                naive.append(i)
                seen[label] = seen.get(label, 0) + 1
        np.testing.assert_array_equal(first_per_class(y, k), naive)


def test_low_shot_synthetic_deterministic():
    X, y = _blobs(n_features=784)
    kwargs = dict(shots=(1, 5), rules=("oja", "delta"), architectures=("784-10", "784-196-10"),
                  references=("LogisticRegression",), data=(X, y, X, y))
    a, b = low_shot(**kwargs), low_shot(**kwargs)
    assert_frame_equal(_drop_times(a), _drop_times(b))
    acc = a[a["metric"] == "test_accuracy"]
    # per k: 2 rules x 2 architectures + 1 reference
    assert len(acc) == 10
    assert set(acc["n_train"]) == {3, 15}
    ref = acc[acc["method"] == "LogisticRegression"]
    assert (ref["rule"] == "-").all() and (ref["architecture"] == "-").all()


def test_low_shot_on_mnist(data_home):
    res = low_shot(shots=(2, 20), rules=("oja",), architectures=("784-10",),
                   references=("LogisticRegression",), n_test=2000, data_home=data_home)
    acc = res[res["metric"] == "test_accuracy"].set_index(["method", "shots"])["value"]
    assert res[res["shots"] == 2]["n_train"].iloc[0] == 20
    # far above chance (0.1) with 2 images per digit, and better with 20
    assert acc[("SupervisedHebbClassifier", 2)] > 0.3
    assert acc[("SupervisedHebbClassifier", 20)] > acc[("SupervisedHebbClassifier", 2)]
    table = summarize_low_shot(res)
    assert list(table.index) == ["oja 784-10", "LogisticRegression", "published (Qumsieh)"]
    assert table.loc["published (Qumsieh)", 2] == 47.62
    assert np.isnan(table.loc["published (Qumsieh)", 20])
    assert table.loc["oja 784-10", 2] == pytest.approx(100 * acc[("SupervisedHebbClassifier", 2)])


def test_low_shot_published_values():
    assert {(r["shots"], r["accuracy"]) for r in LOW_SHOT_PUBLISHED} == {
        (1, 36.25), (2, 47.62), (60, 70.4)}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(shots=(0,)), "shots must be positive"),
        (dict(architectures=("784-100-10",)), "architectures must be among"),
        (dict(references=("SVC",)), "references must be among"),
    ],
)
def test_low_shot_bad_arguments(kwargs, match):
    X, y = _blobs(n_features=784)
    with pytest.raises(ValueError, match=match):
        low_shot(data=(X, y, X, y), **kwargs)


# ------------------------------------------------------------------ sample efficiency
@given(
    n_classes=st.integers(1, 5),
    n=st.integers(10, 120),
    small=st.floats(0.001, 1.0),
    large=st.floats(0.001, 1.0),
    seed=st.integers(0, 1000),
)
def test_labeled_mask_properties(n_classes, n, small, large, seed):
    small, large = sorted((small, large))
    y = np.arange(n) % n_classes
    a, b = labeled_mask(y, small, seed), labeled_mask(y, large, seed)
    # at least one row per class, the requested count otherwise, nested
    assert set(y[a]) == set(y)
    assert a.sum() == max(n_classes, round(small * n))
    assert not (a & ~b).any()


def test_labeled_mask_bad_fraction():
    with pytest.raises(ValueError, match="fraction must lie in"):
        labeled_mask(np.zeros(5), 0.0, 0)


@pytest.fixture(scope="module")
def efficiency_run():
    X, y = _blobs(n_per_class=60, n_features=16)
    return sample_efficiency(
        "tox171", data=(X, y), fractions=(0.05, 1.0), methods=METHODS,
        readouts=("logistic", "delta"), n_components=8, seeds=(0, 1),
        estimator_params={"MLP": {"max_iter": 50}},
    )


def test_sample_efficiency_tidy_table(efficiency_run):
    df = efficiency_run
    assert list(df.columns) == ["dataset", "method", "n_components", "readout", "seed",
                                "labeled_fraction", "n_labeled", "metric", "value"]
    acc = df[df["metric"] == "test_accuracy"]
    # a table: one fit per seed; two read-outs per learner, MLP its own
    assert len(acc) == (len(METHODS) - 1) * 2 * 2 * 2 + 2 * 2
    assert set(acc.loc[acc["method"] == "MLP", "readout"]) == {"mlp"}
    assert set(acc.loc[acc["method"] == "PCA", "readout"]) == {"logistic", "delta"}
    # 180 rows, 75/25 split: 135 training rows; 5 % -> 7 labeled, 100 % -> all
    assert set(acc["n_labeled"]) == {7, 135}
    assert acc["value"].between(0, 1).all()
    full = acc[(acc["labeled_fraction"] == 1.0) & (acc["readout"] == "logistic")]
    assert full.set_index(["method", "seed"])["value"].loc["raw"].mean() > 0.9  # separable
    times = df[df["metric"] == "feature_fit_time_s"]
    assert len(times) == len(METHODS) * 2 and times["labeled_fraction"].isna().all()
    # the learners' own widths unless n_components is given (raw and MLP: the inputs)
    assert set(df.loc[df["method"] == "raw", "n_components"]) == {16}
    assert set(df.loc[df["method"] == "Krotov", "n_components"]) == {8}


def test_sample_efficiency_seeded(efficiency_run):
    X, y = _blobs(n_per_class=60, n_features=16)
    again = sample_efficiency(
        "tox171", data=(X, y), fractions=(0.05, 1.0), methods=METHODS,
        readouts=("logistic", "delta"), n_components=8, seeds=(0, 1),
        estimator_params={"MLP": {"max_iter": 50}},
    )
    assert_frame_equal(_drop_times(again), _drop_times(efficiency_run))


def test_sample_efficiency_summary(efficiency_run):
    table = summarize_sample_efficiency(efficiency_run)
    assert list(table.columns) == ["5 % mean", "5 % std", "100 % mean", "100 % std", "fit s"]
    methods = list(dict.fromkeys(table.index.get_level_values("method")))
    assert methods == list(METHODS)
    acc = efficiency_run.query("metric == 'test_accuracy' and method == 'raw' "
                               "and labeled_fraction == 1.0 and readout == 'logistic'")["value"]
    assert table.loc[("tox171", "raw", "logistic"), "100 % mean"] == pytest.approx(
        100 * acc.mean())
    times = efficiency_run.query("metric == 'feature_fit_time_s' and method == 'Krotov'")
    assert table.loc[("tox171", "Krotov", "delta"), "fit s"] == pytest.approx(
        times["value"].mean())


def test_image_set_learners_are_fitted_once():
    """One fit on all training images serves every seed's labeled rows."""
    X, y, X_test, y_test = _images()
    res = sample_efficiency("mnist", data=(X, y, X_test, y_test), fractions=(0.05, 1.0),
                            methods=("Krotov", "raw"), n_components=20, seeds=(0, 1, 2),
                            estimator_params={"Krotov": {"max_iter": 2}})
    times = res.query("metric == 'feature_fit_time_s'")
    assert len(times) == 2 and set(times["seed"]) == {0}
    acc = res.query("metric == 'test_accuracy'")
    # 5 %: one run per seed; 100 %: the same labeled set for every seed, run once
    per_fraction = acc.groupby(["method", "labeled_fraction"])["seed"].apply(sorted)
    assert per_fraction.loc[("Krotov", 0.05)] == [0, 1, 2]
    assert per_fraction.loc[("Krotov", 1.0)] == [0]
    # the labeled rows differ between seeds, the features do not
    masks = [labeled_mask(y, 0.05, s) for s in (0, 1, 2)]
    assert not np.array_equal(masks[0], masks[1])


def _images(n_per_class=100, seed=0):
    """Blobs scaled to [0, 1] like pixels, as a training and a test set."""
    X, y = _blobs(n_per_class=n_per_class, n_features=16, seed=seed)
    X_test, y_test = _blobs(n_per_class=20, n_features=16, seed=seed + 1)
    return X / 2.0, y, X_test / 2.0, y_test


def test_sample_efficiency_on_tox171():
    res = sample_efficiency("tox171", fractions=(0.1, 1.0),
                            methods=("raw", "PCA"),
                            n_components=8, seeds=(0,))
    acc = res[res["metric"] == "test_accuracy"].set_index(["method", "labeled_fraction"])
    # 171 samples, 4 classes, 75/25: 128 training rows, 43 test rows
    assert acc.loc[("raw", 1.0), "n_labeled"] == 128
    assert acc.loc[("raw", 0.1), "n_labeled"] == 13
    assert acc.loc[("raw", 1.0), "value"] > 0.5  # chance is about 0.25


def test_sample_efficiency_on_mnist(data_home):
    res = sample_efficiency("mnist", fractions=(0.1,), methods=("HebbianPCA",), n_components=16,
                            seeds=(0,), n_train=1000, n_test=1000, data_home=data_home)
    acc = res.query("metric == 'test_accuracy'")
    assert acc["n_labeled"].item() == 100
    assert acc["value"].item() > 0.4  # 100 labeled images; chance is 0.1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(fractions=(0.0,)), "fractions must lie in"),
        (dict(fractions=(1.5,)), "fractions must lie in"),
        (dict(methods=("ICA",)), "methods must be among"),
        (dict(readouts=("svm",)), "readouts must be among"),
        (dict(dataset="iris"), "dataset must be one of"),
    ],
)
def test_sample_efficiency_bad_arguments(kwargs, match):
    X, y = _blobs()
    kwargs = {"dataset": "tox171", **kwargs}
    with pytest.raises(ValueError, match=match):
        sample_efficiency(data=(X, y), **kwargs)


# ------------------------------------------------------------------ topology summary
def test_concentration():
    share, gini = _concentration(np.full(50, 3))
    assert share == pytest.approx(0.1) and gini == pytest.approx(0.0, abs=1e-12)
    counts = np.zeros(50)
    counts[7] = 10
    share, gini = _concentration(counts)
    assert share == 1.0 and gini == pytest.approx(1 - 1 / 50)
    assert np.isnan(_concentration(np.zeros(4))[0])


def test_summarize_topology():
    topo = hebbset_topology("tox171", lambdas=(0, 0.01), seeds=(0, 1), epochs=3,
                            checkpoints=(0, 1, 2), hidden_layer_sizes=(8,), epsilon=2,
                            n_threads=1)
    summary = summarize_topology(topo)
    w = summary.weights
    assert len(w) == 4 and (w["n_runs"] == 2).all()
    assert w["positive_percent"].between(0, 100).all()
    assert (w["mean_positive"] > 0).all() and (w["mean_negative"] < 0).all()
    hebb1 = w[(w["method"] == "HebbSET") & (w["layer"] == 1)].iloc[0]
    assert hebb1["paper_positive_percent"] == 54.3
    # positive fraction = mean over seeds of the last checkpoint's layer rows
    last = topo.layers.query("epoch == 2 and metric == 'positive_fraction' and layer == 1 "
                             "and method == 'HebbSET'")["value"].mean()
    assert hebb1["positive_percent"] == pytest.approx(100 * last)
    stab = summary.stability
    assert set(stab["epoch"]) == {0, 1, 2}
    final = stab[stab["epoch"] == 2]
    np.testing.assert_allclose(final["fraction_in_final"], 1.0)
    assert stab["fraction_kept"].dropna().between(0, 1).all()
    inputs = summary.inputs
    assert len(inputs) == 2 * 3
    assert inputs["top10_share"].between(0.1 - 1e-12, 1).all()
    assert inputs["gini"].between(0, 1).all()
    assert isinstance(inputs, pd.DataFrame)

"""The tabular experiments: baselines next to HebbSET, feature selection, their command."""

import numpy as np
import pytest

from skhebb.experiments import (
    feature_selection,
    summarize_feature_selection,
    summarize_tabular,
    tabular_baselines,
)
from skhebb.experiments._cli import main

pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def small_table():
    rng = np.random.default_rng(0)
    y = np.arange(60) % 3
    X = rng.normal(size=(60, 40))
    X[:, :4] += 2.0 * y[:, None]  # four informative features
    return X, y


def test_tabular_baselines_share_the_splits(small_table):
    res = tabular_baselines("toy", n_splits=2, data=small_table)
    assert set(res["model"]) == {"HebbSETClassifier", "LogisticRegression", "MLPClassifier"}
    assert len(res) == 6 and (res["fit_time"] > 0).all()
    summary = summarize_tabular(res)
    assert set(summary.columns) >= {"accuracy", "accuracy_std", "median_fit_time"}
    assert summary.set_index("model").loc["HebbSETClassifier", "accuracy"] > 70


def test_feature_selection_finds_informative_features(small_table):
    res = feature_selection("toy", ks=(4, 8), n_splits=2, data=small_table)
    table = summarize_feature_selection(res)
    assert list(table.index.get_level_values("selector")) == [
        "hebbset", "f_classif", "random_forest", "l1_logistic"]
    assert list(table.columns) == [4, 8, "all"] and table["all"].nunique() == 1
    assert table.loc[("toy", "hebbset"), 4] > 80  # the informative four beat chance (33 %)
    with pytest.raises(ValueError, match="ks must lie"):
        feature_selection("toy", ks=(41,), data=small_table)


def test_feature_rankings_do_not_depend_on_the_global_random_state():
    from skhebb.experiments._tabular import _rankings

    rng = np.random.default_rng(1)
    y = np.arange(60) % 3
    X = rng.normal(size=(60, 300))  # wide and noisy: many near-equal L1 coefficients
    X[:, :4] += 0.5 * y[:, None]
    rankings = []
    for global_seed in (0, 1):
        np.random.seed(global_seed)  # noqa: NPY002 - liblinear's fallback, under test
        rankings.append(_rankings(X, y, seed=3))
    for name, order in rankings[0].items():
        np.testing.assert_array_equal(order, rankings[1][name], err_msg=name)


def test_unknown_table_is_an_error():
    with pytest.raises(ValueError, match="dataset must be one of"):
        tabular_baselines("mnist")


def test_reproduce_tabular_end_to_end(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["reproduce", "tabular", "--splits", "2", "--ks", "10,20", "--no-plot",
                 "--quiet", "--n-jobs", "1", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "HebbSETClassifier" in text and "LogisticRegression" in text
    assert "f_classif" in text
    assert (out / "tabular_tox171_summary.csv").exists()
    assert (out / "feature_selection_tox171_table.csv").exists()

"""Every plot renders to a file and holds the expected artists."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.pyplot import close, subplots  # noqa: E402
from sklearn.utils import Bunch  # noqa: E402

from skhebb.plotting import (  # noqa: E402
    plot_components,
    plot_feature_connections,
    plot_input_connectivity,
    plot_learning_curves,
    plot_low_shot,
    plot_sample_efficiency,
    plot_selectors,
    plot_topology,
    plot_topology_stability,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    close("all")


def _save(ax, tmp_path, name="plot.png"):
    path = tmp_path / name
    ax.figure.savefig(path)
    assert path.read_bytes()[:8] == PNG
    return path


def _inputs_table(n_features=16, epochs=(0, 4), methods=(("SET", 0.0), ("HebbSET", 0.01))):
    rng = np.random.RandomState(0)
    rows = []
    for method, lam in methods:
        for seed in (0, 1):
            for epoch in epochs:
                counts = rng.randint(0, 10, n_features)
                rows += [("x", method, lam, seed, epoch, f, int(c)) for f, c in enumerate(counts)]
    return pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "lambda0", "seed", "epoch", "feature",
                       "n_connections"])


@pytest.fixture(scope="module")
def fitted_hebbset():
    from sklearn.datasets import load_digits

    from skhebb.neural_network import HebbSETClassifier

    X, y = load_digits(return_X_y=True)
    return HebbSETClassifier(hidden_layer_sizes=(20,), epsilon=2, max_iter=2,
                             hebbian_strength=0.01, random_state=0).fit(X[:300] / 16, y[:300])


def test_input_connectivity_from_estimator(fitted_hebbset, tmp_path):
    ax = plot_input_connectivity(fitted_hebbset)
    images = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    assert len(images) == 1
    data = np.asarray(images[0].get_array())
    assert data.shape == (8, 8)
    coef = sp.csr_matrix(fitted_hebbset.coefs_[0])
    assert data.sum() == coef.nnz
    assert "HebbSET" in ax.get_title()
    assert len(ax.figure.axes) == 2  # the image and its colour bar
    _save(ax, tmp_path)


def test_input_connectivity_from_table(tmp_path):
    table = _inputs_table()
    _, ax = subplots()
    out = plot_input_connectivity(table, method="SET", epoch=0, ax=ax, colorbar=False)
    assert out is ax
    image = np.asarray(ax.images[0].get_array())
    expected = (table.query("method == 'SET' and epoch == 0")
                .groupby("feature")["n_connections"].mean().to_numpy())
    np.testing.assert_allclose(image.ravel(), expected)
    assert "mean of 2 seeds" in ax.get_title()
    _save(ax, tmp_path)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(), "pass method"),
        (dict(method="SET", epoch=3), "no rows for epoch"),
        (dict(method="NoSuch"), "no rows for method"),
        (dict(method="SET", image_shape=(3, 5)), "does not hold 16 inputs"),
    ],
)
def test_input_connectivity_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_input_connectivity(_inputs_table(), **kwargs)


def test_input_connectivity_not_square_or_wrong_source():
    with pytest.raises(ValueError, match="plot_feature_connections"):
        plot_input_connectivity(_inputs_table(n_features=10), method="SET")
    with pytest.raises(TypeError, match="HebbSETClassifier"):
        plot_input_connectivity(np.zeros((3, 3)))


def test_feature_connections(tmp_path):
    table = _inputs_table(n_features=40)
    ax = plot_feature_connections(table, method="HebbSET", top=12,
                                  feature_names=[f"gene{i}" for i in range(40)])
    bars = ax.patches
    assert len(bars) == 12
    heights = [b.get_height() for b in bars]
    assert heights == sorted(heights, reverse=True)
    last = table.query("method == 'HebbSET' and epoch == 4").groupby("feature")["n_connections"]
    assert heights[0] == pytest.approx(last.mean().max())
    assert ax.get_xticklabels()[0].get_text().startswith("gene")
    assert len(ax.lines) == 1  # the mean line
    _save(ax, tmp_path)


def test_feature_connections_from_estimator(fitted_hebbset):
    ax = plot_feature_connections(fitted_hebbset, top=100)
    assert len(ax.patches) == 64  # fewer features than top
    with pytest.raises(ValueError, match="top must be"):
        plot_feature_connections(fitted_hebbset, top=0)


def test_components_grid_from_transformer(tmp_path):
    from sklearn.datasets import load_digits

    from skhebb.competitive import LateralInhibitionSelectors

    X, _ = load_digits(return_X_y=True)
    sel = LateralInhibitionSelectors(n_selectors=10, max_iter=1, random_state=0).fit(X / 16)
    ax = plot_components(sel, n_cols=5)
    grid = np.asarray(ax.images[0].get_array())
    # 2 rows x 5 columns of 8 x 8 tiles with one-pixel gaps
    assert grid.shape == (2 * 9 - 1, 5 * 9 - 1)
    tile = grid[:8, 9:17]
    expected = sel.components_[1] / np.abs(sel.components_[1]).max()
    np.testing.assert_allclose(tile.ravel(), expected, rtol=1e-6)
    assert "LateralInhibitionSelectors" in ax.get_title()
    _save(ax, tmp_path)


def test_components_heatmap_for_tabular(tmp_path):
    W = np.random.RandomState(0).randn(5, 12)
    _, ax = subplots()
    assert plot_components(W, max_components=3, ax=ax) is ax
    assert np.asarray(ax.images[0].get_array()).shape == (3, 12)
    _save(ax, tmp_path)
    with pytest.raises(ValueError, match="does not hold 12 features"):
        plot_components(W, image_shape=(5, 5))
    with pytest.raises(ValueError, match="n_components, n_features"):
        plot_components(np.zeros(4))


def _efficiency_results():
    rows = []
    for method in ("HebbianPCA", "raw", "PCA"):
        for seed in (0, 1):
            for f in (0.01, 0.1, 1.0):
                rows.append(("tox171", method, 4, "logistic", seed, f, int(1000 * f),
                             "test_accuracy", 0.5 + f / 3))
            rows.append(("tox171", method, 4, "", seed, np.nan, 0, "feature_fit_time_s", 0.1))
    return pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "n_components", "readout", "seed",
                       "labeled_fraction", "n_labeled", "metric", "value"])


def test_sample_efficiency_plot(tmp_path):
    from matplotlib.container import ErrorbarContainer

    ax = plot_sample_efficiency(_efficiency_results())
    assert len(ax.containers) == 3
    assert all(isinstance(c, ErrorbarContainer) for c in ax.containers)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "HebbianPCA" and set(labels) == {"HebbianPCA", "raw", "PCA"}
    x, y = ax.containers[0].lines[0].get_data()
    np.testing.assert_allclose(x, [10, 100, 1000])  # labeled samples, log x
    np.testing.assert_allclose(y, 100 * (0.5 + np.array([0.01, 0.1, 1.0]) / 3))
    assert ax.get_xscale() == "log"
    _save(ax, tmp_path)


def test_sample_efficiency_plot_names_other_readouts():
    res = _efficiency_results()
    hebb = res[res["method"] == "HebbianPCA"].assign(readout="delta")
    ax = plot_sample_efficiency(pd.concat([res, hebb]))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["HebbianPCA", "HebbianPCA + delta"]


def test_sample_efficiency_plot_bad_input():
    res = _efficiency_results()
    with pytest.raises(ValueError, match="no 'test_accuracy' rows"):
        plot_sample_efficiency(res[res["metric"] != "test_accuracy"])
    two = pd.concat([res, res.assign(dataset="mnist")])
    with pytest.raises(ValueError, match="pass dataset="):
        plot_sample_efficiency(two)
    assert len(plot_sample_efficiency(two, dataset="mnist").containers) == 3


def test_learning_curves_still_work(tmp_path):
    rows = [("x", m, lam, s, e, "test_accuracy", 0.1 * e)
            for m, lam in (("SET", 0.0), ("HebbSET", 0.01)) for s in (0, 1) for e in range(3)]
    res = pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "lambda0", "seed", "epoch", "metric", "value"])
    ax = plot_learning_curves(res)
    assert len(ax.lines) == 2
    _save(ax, tmp_path)


def _selectors_results(dataset="mnist"):
    rows = []
    for lam in (1.0, 10.0):
        for seed in (0, 1):
            for readout, acc in (("logistic", 0.8), ("delta", 0.7)):
                rows.append((dataset, "LateralInhibitionSelectors", lam, 16, seed, 100, readout,
                             "test_accuracy", acc + 0.01 * seed))
            rows.append((dataset, "LateralInhibitionSelectors", lam, 16, seed, 100, "-",
                         "n_dead", 1.0))
    return pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "inhibition", "n_selectors", "seed", "n_train",
                       "readout", "metric", "value"])


def test_selectors_plot(tmp_path):
    ax = plot_selectors(_selectors_results())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["ours, delta read-out", "ours, logistic read-out",
                              "paper (60000 images), delta read-out",
                              "paper (60000 images), oja read-out"]
    assert len(ax.containers) == 2  # two error-bar lines
    paper = ax.get_lines()[-1]
    assert paper.get_xdata().tolist() == list(range(1, 16))  # Table 3, lambda = 1..15
    assert ax.get_title() == "16 selectors, mnist"
    _save(ax, tmp_path)
    ax = plot_selectors(_selectors_results("coil20"))  # no published values: ours only
    assert len(ax.get_legend().get_texts()) == 2
    both = pd.concat([_selectors_results(), _selectors_results("coil20")])
    with pytest.raises(ValueError, match="several datasets"):
        plot_selectors(both)


def test_low_shot_plot(tmp_path):
    rows = []
    for k in (1, 2, 60):
        rows.append(("mnist", "SupervisedHebbClassifier", "oja", "784-10", k, 10 * k, 0,
                     "test_accuracy", 0.3 + 0.001 * k))
        rows.append(("mnist", "LogisticRegression", "-", "-", k, 10 * k, 0, "test_accuracy",
                     0.4))
    results = pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "rule", "architecture", "shots", "n_train", "seed",
                       "metric", "value"])
    ax = plot_low_shot(results)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"oja 784-10", "LogisticRegression"}
    assert lines["LogisticRegression"].get_linestyle() == "--"
    np.testing.assert_allclose(lines["oja 784-10"].get_ydata(), [30.1, 30.2, 36.0])
    assert ax.get_xscale() == "log" and len(ax.collections) == 1  # the published crosses
    _save(ax, tmp_path)


def _topology(n_features):
    inputs = _inputs_table(n_features=n_features, epochs=(0, 2, 4))
    rows = []
    for method, lam in (("SET", 0.0), ("HebbSET", 0.01)):
        for seed in (0, 1):
            for epoch in (0, 2, 4):
                for layer in (1, 2):
                    rows.append(("x", method, lam, seed, epoch, layer, "fraction_in_final",
                                 0.5 + epoch / 8 + seed / 10))
    layers = pd.DataFrame.from_records(
        rows, columns=["dataset", "method", "lambda0", "seed", "epoch", "layer", "metric",
                       "value"])
    return Bunch(layers=layers, inputs=inputs)


def test_topology_stability_plot(tmp_path):
    ax = plot_topology_stability(_topology(16))
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"SET", "HebbSET λ0=0.01"}
    np.testing.assert_allclose(lines["SET"].get_ydata(), [0.55, 0.8, 1.05])  # mean over seeds
    assert "input-layer" in ax.get_ylabel()
    _save(ax, tmp_path)
    with pytest.raises(ValueError, match="layer 3"):
        plot_topology_stability(_topology(16), layer=3)


@pytest.mark.parametrize("n_features, kind", [(16, AxesImage), (15, None)])
def test_topology_figure(n_features, kind, tmp_path):
    fig = plot_topology(_topology(n_features))
    axes = fig.get_axes()
    panels = [ax for ax in axes if ax.get_label() != "<colorbar>"]
    assert len(panels) == 3  # one per lambda0 and the stabilisation
    if kind is AxesImage:  # a square number of inputs: images
        assert isinstance(panels[0].get_images()[0], kind)
    else:  # tabular: ranked bars
        assert len(panels[0].patches) == 15
    assert panels[-1].get_title().startswith("topology stabilisation")
    fig.savefig(tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == PNG

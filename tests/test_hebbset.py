"""HebbSETClassifier: behaviour, bad input, determinism, persistence, real data."""

import pickle

import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skhebb import HebbSETClassifier
from skhebb._base import Run
from skhebb._core import _jit
from skhebb.neural_network import PAPER_CONFIGS

#: The paper's configuration on a small network, with Algorithm 2's final prune (the
#: defaults: tests/test_hebbset_defaults.py).
SMALL = dict(
    PAPER_CONFIGS["mnist"],
    final_prune=True,
    hidden_layer_sizes=(24, 16),
    epsilon=4,
    batch_size=10,
    max_iter=4,
    random_state=0,
)


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centers = rng.random((3, 20))
    y = rng.integers(0, 3, 120)
    X = centers[y] + 0.1 * rng.normal(size=(120, 20))
    X = (X - X.min(1, keepdims=True)) / (X.max(1, keepdims=True) - X.min(1, keepdims=True))
    return X, y


def _per_sample_scale(X):
    X = X - X.min(axis=1, keepdims=True)
    return X / (X.max(axis=1, keepdims=True) + 1e-4)


def _assert_same_network(a, b):
    for ca, cb in zip(a.coefs_, b.coefs_, strict=True):
        np.testing.assert_array_equal(ca.indptr, cb.indptr)
        np.testing.assert_array_equal(ca.indices, cb.indices)
        np.testing.assert_array_equal(ca.data, cb.data)
    for ia, ib in zip(a.intercepts_, b.intercepts_, strict=True):
        np.testing.assert_array_equal(ia, ib)


def test_fitted_attributes(blobs, dtype):
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X.astype(dtype), y)
    assert [c.shape for c in clf.coefs_] == [(20, 24), (24, 16), (16, 3)]
    for c in clf.coefs_:
        assert sp.isspmatrix_csr(c) and c.has_sorted_indices
        assert c.indices.dtype == np.int32 and c.data.dtype == dtype
    assert clf.n_iter_ == 4 and len(clf.loss_curve_) == 4
    hist = clf.topology_history_
    assert len(hist["nnz"]) == 4 and len(hist["input_degree"][-1]) == 20
    assert hist["input_degree"][-1].sum() == clf.coefs_[0].nnz
    assert clf.predict_proba(X).dtype == dtype
    np.testing.assert_allclose(clf.predict_proba(X).sum(1), 1, rtol=1e-5)


def test_nnz_constant_during_training_and_final_prune(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**{**SMALL, "max_iter": 5}).fit(X, y)
    nnz = np.array(clf.topology_history_["nnz"])
    assert np.all(nnz[:-1] == nnz[0])  # regrowth keeps sparsity constant
    zeta = clf.zeta
    # after the last epoch: prune without regrowth (Algorithm 2 of the paper)
    np.testing.assert_array_equal(nnz[-1], nnz[0] - (zeta * nnz[0]).astype(int))


def test_coefs_share_the_kernel_arrays(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X, y)
    before = clf.predict_proba(X)
    clf.coefs_[0].data[:] = 0  # writing through the public matrix changes the network
    assert not np.allclose(before, clf.predict_proba(X))


def test_fit_equals_partial_fit_on_the_kept_connections(blobs):
    """fit(max_iter=k) = k partial_fit calls, except that fit does not regrow at the end."""
    X, y = blobs
    params = {**SMALL, "max_iter": 3, "shuffle": True}
    a = HebbSETClassifier(**params).fit(X, y)
    b = HebbSETClassifier(**params)
    for _ in range(3):
        b.partial_fit(X, y, classes=np.unique(y))
    for ca, cb in zip(a.coefs_, b.coefs_, strict=True):
        Da, Db = ca.toarray(), cb.toarray()
        ma = ca.toarray() != 0
        np.testing.assert_array_equal(Da[ma], Db[ma])
        assert cb.nnz - ca.nnz == int(params.get("zeta", 0.3) * cb.nnz)
    for ia, ib in zip(a.intercepts_, b.intercepts_, strict=True):
        np.testing.assert_array_equal(ia, ib)
    assert a.loss_curve_ == b.loss_curve_


def test_same_random_state_same_result(blobs):
    X, y = blobs
    a = HebbSETClassifier(**SMALL).fit(X, y)
    b = HebbSETClassifier(**SMALL).fit(X, y)
    _assert_same_network(a, b)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = HebbSETClassifier(**{**SMALL, "random_state": 1}).fit(X, y)
    assert c.coefs_[0].nnz != a.coefs_[0].nnz or not np.array_equal(
        c.coefs_[0].indices, a.coefs_[0].indices
    )


def test_pickle_round_trip(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X, y)
    clone = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clf.predict_proba(X), clone.predict_proba(X))
    # training continues identically after unpickling
    clf.partial_fit(X, y)
    clone.partial_fit(X, y)
    _assert_same_network(clf, clone)


def test_skops_round_trip(blobs):
    skops_io = pytest.importorskip("skops.io")
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X, y)
    data = skops_io.dumps(clf)
    clone = skops_io.loads(data, trusted=skops_io.get_untrusted_types(data=data))
    np.testing.assert_array_equal(clf.predict(X), clone.predict(X))


def test_thread_count_does_not_change_results(blobs, monkeypatch):
    from skhebb._core import sparse
    from skhebb.neural_network import _sparse_network

    for name in ("forward", "fused_update"):  # force the parallel kernels
        monkeypatch.setattr(_sparse_network, name, getattr(sparse, name).parallel)
    X, y = blobs
    old = _jit.get_num_threads()
    try:
        _jit.set_num_threads(1)
        a = HebbSETClassifier(**SMALL).fit(X, y)
    finally:
        _jit.set_num_threads(old)
    b = HebbSETClassifier(**SMALL).fit(X, y)
    for name in ("forward", "fused_update"):  # serial kernels
        monkeypatch.setattr(_sparse_network, name, getattr(sparse, name).serial)
    c = HebbSETClassifier(**SMALL).fit(X, y)
    _assert_same_network(a, b)
    _assert_same_network(a, c)


def test_sparse_input_equals_dense(blobs, dtype):
    X, y = blobs
    X = X.astype(dtype)
    X[X < 0.5] = 0
    a = HebbSETClassifier(**SMALL).fit(X, y)
    b = HebbSETClassifier(**SMALL).fit(sp.csr_matrix(X), y)
    _assert_same_network(a, b)
    np.testing.assert_array_equal(a.predict(X), b.predict(sp.csr_matrix(X)))


@pytest.mark.parametrize(
    "params,match",
    [
        (dict(epsilon=0), "epsilon"),
        (dict(zeta=1.0), "zeta"),
        (dict(hebbian_strength=-1), "hebbian_strength"),
        (dict(learning_rate_init=0), "learning_rate_init"),
        (dict(batch_size=0), "batch_size"),
        (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes"),
        (dict(prune="random"), "prune"),
        (dict(loss="hinge"), "loss"),
        (dict(momentum=1.5), "momentum"),
    ],
)
def test_invalid_hyperparameters(blobs, params, match):
    X, y = blobs
    with pytest.raises(ValueError, match=match):
        HebbSETClassifier(**{**SMALL, **params}).fit(X, y)


def test_bad_input_leaves_fitted_model_unchanged(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X, y)
    before = clf.predict_proba(X)
    Xnan = X.copy()
    Xnan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.partial_fit(Xnan, y)
    Xinf = X.copy()
    Xinf[1, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        clf.fit(Xinf, y)
    with pytest.raises(ValueError, match="features"):
        clf.partial_fit(X[:, :5], y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :5])
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:3], np.array([0, 1, 7]))
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(X, np.zeros(len(y), int))
    np.testing.assert_array_equal(before, clf.predict_proba(X))
    assert clf.n_iter_ == SMALL["max_iter"]


def test_partial_fit_needs_classes(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="classes must be passed"):
        HebbSETClassifier(**SMALL).partial_fit(X, y)


def test_divergence_warns_and_keeps_a_usable_model(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**{**SMALL, "loss": "log_loss"}).fit(X, y)
    before = clf.predict_proba(X)
    clf.set_params(learning_rate_init=1e200, momentum=0.0)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        clf.partial_fit(X * 1e100, y)
    np.testing.assert_array_equal(before, clf.predict_proba(X))  # the epoch was rolled back
    assert all(np.isfinite(c.data).all() for c in clf.coefs_)


def test_early_stopping_records_validation(blobs):
    X, y = blobs
    params = {"max_iter": 30, "early_stopping": True, "n_iter_no_change": 3, "loss": "log_loss"}
    clf = HebbSETClassifier(**{**SMALL, **params}).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_warm_start_continues(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**{**SMALL, "warm_start": True}).fit(X, y)
    clf.fit(X, y)
    assert clf.n_iter_ == 2 * SMALL["max_iter"]


def test_hebbian_term_changes_training(blobs):
    """hebbian_strength=0 is plain SET; a positive strength gives a different network."""
    X, y = blobs
    a = HebbSETClassifier(**{**SMALL, "hebbian_strength": 0.0}).fit(X, y)
    b = HebbSETClassifier(**{**SMALL, "hebbian_strength": 0.05}).fit(X, y)
    assert not np.array_equal(a.coefs_[-1].toarray(), b.coefs_[-1].toarray())


@pytest.mark.parametrize("hebbian_strength", [0.0, 0.01])
def test_learns_tox171(data_home, hebbian_strength):
    """The Lung-like workload: TOX-171 (4 classes, 26 % majority class), 75/25 split.

    Per-sample [0, 1] scaling as the reference code, then per-feature
    standardisation: plain SGD on the per-sample scaled features alone is slow
    (a dense ``MLPClassifier(solver="sgd")`` also stays near 70 % in 60 epochs).
    """
    mat = scipy.io.loadmat(data_home / "TOX-171.mat")
    X = _per_sample_scale(mat["X"].astype(np.float64))
    y = mat["Y"].ravel()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    clf = make_pipeline(
        StandardScaler(),
        HebbSETClassifier(
            hidden_layer_sizes=(200,),
            epsilon=20,
            batch_size=30,
            max_iter=30,
            learning_rate_init=0.01,
            loss="log_loss",
            hebbian_strength=hebbian_strength,
            random_state=0,
        ),
    ).fit(Xtr, ytr)
    assert clf.score(Xte, yte) > 0.55  # chance: 0.26 (majority class)


def test_work_blocks_live_only_during_a_pass(blobs):
    """Mini-batch work arrays are reused within a pass and released after it.

    A batch size that leaves a smaller last batch exercises the reallocation
    path; the result must equal a fit whose batches all allocate afresh.
    """
    X, y = blobs
    params = {**SMALL, "batch_size": 7}
    reused = HebbSETClassifier(**params).fit(X, y)
    fresh = HebbSETClassifier(**params)
    fresh._block = lambda work, key, shape, dtype=None: np.empty(
        shape, dtype=fresh._fit_dtype_ if dtype is None else dtype)
    fresh.fit(X, y)
    for a, b in zip(reused.coefs_, fresh.coefs_, strict=True):
        np.testing.assert_array_equal(a.toarray(), b.toarray())
    np.testing.assert_array_equal(reused.predict_proba(X), fresh.predict_proba(X))


def test_pass_empties_the_work_of_its_run(blobs):
    X, y = blobs
    clf = HebbSETClassifier(**SMALL).fit(X, y)
    run, sizes = Run(), []
    step = clf._batch_step

    def recording_step(X_batch, y_batch, sample_weight, run):
        loss = step(X_batch, y_batch, sample_weight, run)
        sizes.append(len(run.work))
        return loss

    clf._batch_step = recording_step
    assert clf._pass(X, clf._encode_y(y), np.random.RandomState(0), run, last=False)
    assert min(sizes) > 0  # blocks were kept between the mini-batches ...
    assert run.work == {}  # ... and dropped after the pass


def test_early_stopping_keeps_the_best_network(blobs):
    X, y = blobs
    params = {**SMALL, "max_iter": 12, "early_stopping": True, "n_iter_no_change": 12}
    clf = HebbSETClassifier(**{**params, "learning_rate_init": 0.05}).fit(X, y)
    assert len(clf.validation_scores_) == 12
    assert clf.validation_scores_[-1] < clf.best_validation_score_  # a later epoch was worse
    _, X_val, _, y_val = train_test_split(
        X, y, test_size=clf.validation_fraction, stratify=y, random_state=0
    )
    assert clf.score(X_val, y_val) == clf.best_validation_score_

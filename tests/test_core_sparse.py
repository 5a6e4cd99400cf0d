"""Sparse layer and loss kernels against their dense NumPy twins (tests/_reference.py)."""

import numpy as np
import pytest
import scipy.sparse as sp

from skhebb._core import _jit, sparse
from skhebb._core.activations import ACTIVATIONS, row_stats
from skhebb._core.losses import LOSS_LOG, LOSSES, output_delta
from skhebb._core.optim import ADAM, SGD, hyper_parameters
from skhebb._core.sparse import (
    bias_update,
    build_csc,
    csr_to_feature_major,
    dense_to_feature_major,
    forward,
    fused_update,
)
from skhebb._core.topology import erdos_renyi
from tests import _reference as ref
from tests.conftest import rtol_for


def _layer(rng, n_in, n_out, p, dtype):
    gen = np.random.default_rng(rng.integers(1 << 30))
    indptr, indices, data = erdos_renyi(gen, n_in, n_out, p, np.empty(0, dtype), 0.5)
    return indptr, indices, data


def _stats(A):
    """Batch statistics of a block: min, mean, 1/span, centred block."""
    units = A.shape[0]
    m, mu, inv = (np.empty(units, A.dtype) for _ in range(3))
    centered = np.full_like(A, np.nan)
    row_stats(A, m, mu, inv, centered)
    return m, mu, inv, centered


_NO_WEIGHTS = np.empty(0)


def _sgd_state(vel, mu):
    """The optimiser state of SGD: the velocity as one row with momentum, no row without."""
    return vel[None, :] if mu != 0 else np.empty((0, vel.shape[0]), vel.dtype)


def _net(rng, sizes, p, dtype):
    layers = [_layer(rng, a, b, p, dtype) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(size=b).astype(dtype) * 0.1 for b in sizes[1:]]
    return layers, biases


def _run_step(
    X, y, sizes, layers, biases, vel, velb, *, hidden, out, loss, lr, lam, mu, decay, twin=None
):
    """One training step with the kernels (what the estimator does per batch).

    ``twin``: None (each kernel chooses), ``"serial"`` or ``"parallel"``.
    """
    dtype = X.dtype
    n = X.shape[0]
    fwd = forward if twin is None else getattr(forward, twin)
    upd = fused_update if twin is None else getattr(fused_update, twin)
    a = np.empty((X.shape[1], n), dtype)
    dense_to_feature_major(X, a)
    acts = [a]
    stats = [_stats(a)]
    for k, ((ip, ix, d), b) in enumerate(zip(layers, biases, strict=True)):
        cind, crow, cperm = build_csc(ip, ix, sizes[k + 1])
        o = np.empty((sizes[k + 1], n), dtype)
        m, mu_, inv = (np.empty(sizes[k + 1], dtype) for _ in range(3))
        c = np.empty_like(o)
        code = ACTIVATIONS[out if k == len(layers) - 1 else hidden]
        fwd(acts[-1], cind, crow, cperm, d, b, code, o, m, mu_, inv, c)
        acts.append(o)
        stats.append((m, mu_, inv, c))
    delta = np.empty_like(acts[-1])
    J = output_delta(acts[-1], y, LOSSES[loss].code, delta, _NO_WEIGHTS)
    hyper = hyper_parameters(SGD, lr, momentum=mu, decay=decay)
    for k in range(len(layers) - 1, -1, -1):
        ip, ix, d = layers[k]
        d_in = np.empty((sizes[k], n), dtype) if k > 0 else np.empty((0, n), dtype)
        upd(
            acts[k],
            stats[k][0],
            stats[k][2],
            stats[k + 1][3],
            stats[k + 1][2],
            delta,
            ip,
            ix,
            d,
            _sgd_state(vel[k], mu),
            hyper,
            lam,
            ACTIVATIONS[hidden],
            d_in,
        )
        bias_update(delta, biases[k], _sgd_state(velb[k], mu), hyper)
        delta = d_in
    return acts, J


@pytest.mark.parametrize("tile", [0, 2, 3])
@pytest.mark.parametrize("stats", [True, False])
@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "identity"])
def test_forward_matches_reference(dtype, seed, name, stats, tile):
    """One tile (0: the batch fits) and several tiles of samples (2 or 3 wide for 7 samples)."""
    rng = np.random.default_rng(seed)
    n_in, n_out, n = 13, 9, 7
    ip, ix, d = _layer(rng, n_in, n_out, 0.4, dtype)
    b = rng.normal(size=n_out).astype(dtype)
    X = rng.normal(size=(n, n_in)).astype(dtype)
    a = np.empty((n_in, n), dtype)
    dense_to_feature_major(X, a)
    np.testing.assert_array_equal(a, ref.dense_to_feature_major(X, a))
    out = np.empty((n_out, n), dtype)
    units = n_out if stats else 0
    centered = np.full((units, n if stats else 0), np.nan, dtype)
    m, mu, inv = (np.empty(units, dtype) for _ in range(3))
    args = (a, *build_csc(ip, ix, n_out), d, b, ACTIVATIONS[name], out, m, mu, inv, centered)
    expected = ref.forward(*args)
    forward(*args, tile)
    for got, want in zip((out, m, mu, inv, centered), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-5)


_SOLVERS = {
    "sgd": dict(solver=SGD),
    "momentum": dict(solver=SGD, momentum=0.9),
    "nesterov": dict(solver=SGD, momentum=0.9, nesterov=True),
    "adam": dict(solver=ADAM, beta_1=0.8, beta_2=0.99, epsilon=1e-7, step=3),
}


def _hyper(name, lr=0.1, decay=1e-3):
    kw = dict(_SOLVERS[name])
    return kw["solver"], hyper_parameters(kw.pop("solver"), lr, decay=decay, **kw)


def _slots(name):
    return {"sgd": 0, "momentum": 1, "nesterov": 1, "adam": 2}[name]


@pytest.mark.parametrize("tile", [0, 2, 4])
@pytest.mark.parametrize("hebb", [0.0, 0.3])
@pytest.mark.parametrize("solver", list(_SOLVERS))
@pytest.mark.parametrize("backprop", [True, False])
def test_fused_update_matches_reference(dtype, seed, hebb, solver, backprop, tile):
    """Every optimiser on a random sparse layer, with and without the Hebbian term.

    ``tile``: 0 (the batch of 9 in one tile), or tiles of 2 or 4 samples (5 or 3 tiles).
    """
    rng = np.random.default_rng(seed)
    n_in, n_out, n = 12, 8, 9
    ip, ix, d = _layer(rng, n_in, n_out, 0.5, dtype)
    A_in = rng.random((n_in, n)).astype(dtype)
    m_in, _, inv_in, _ = _stats(A_in)
    _, _, inv_out, centered_out = _stats(rng.random((n_out, n)).astype(dtype))
    delta = rng.normal(size=(n_out, n)).astype(dtype)
    state = np.abs(rng.normal(size=(_slots(solver), d.shape[0])) * 0.01).astype(dtype)
    delta_in = np.full((n_in if backprop else 0, n), np.nan, dtype)
    _, hyper = _hyper(solver)
    args = (
        A_in,
        m_in,
        inv_in,
        centered_out,
        inv_out,
        delta,
        ip,
        ix,
        d,
        state,
        hyper,
        hebb,
        ACTIVATIONS["sigmoid"],
        delta_in,
    )
    expected = ref.fused_update(*args)
    fused_update(*args, tile)
    for got, want in zip((d, state, delta_in), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-6)


@pytest.mark.parametrize("solver", list(_SOLVERS))
def test_bias_update_matches_reference(dtype, seed, solver):
    rng = np.random.default_rng(seed)
    delta = rng.normal(size=(6, 11)).astype(dtype)
    bias = rng.normal(size=6).astype(dtype)
    state = np.abs(rng.normal(size=(_slots(solver), 6))).astype(dtype)
    args = (delta, bias, state, _hyper(solver, lr=0.2)[1])
    expected = ref.bias_update(*args)
    bias_update(*args)
    for got, want in zip((bias, state), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-6)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_output_delta_matches_reference(dtype, seed, loss):
    """Every loss of the registry, ``set_mse`` (the default) included."""
    rng = np.random.default_rng(seed)
    k, n = 5, 13
    A = rng.random((k, n))
    if LOSSES[loss].out_activation == "softmax":
        A /= A.sum(axis=0)
    A = A.astype(dtype)
    y = rng.integers(0, k, n)
    delta = np.full_like(A, np.nan)
    for weights in (_NO_WEIGHTS, rng.random(n) * 3):
        expected_delta, expected_loss = ref.output_delta(A, y, LOSSES[loss].code, delta, weights)
        J = output_delta(A, y, LOSSES[loss].code, delta, weights)
        np.testing.assert_allclose(delta, expected_delta, rtol=rtol_for(dtype), atol=1e-6)
        assert J == pytest.approx(expected_loss, rel=rtol_for(dtype))


def test_integer_sample_weights_equal_repeated_rows(dtype, seed):
    """Weight 2 on a sample gives the update of that sample repeated (SGD on a sparse layer)."""
    rng = np.random.default_rng(seed)
    n_in, n_out = 9, 4
    ip, ix, d0 = _layer(rng, n_in, n_out, 0.6, dtype)
    X = rng.random((5, n_in)).astype(dtype)
    y = rng.integers(0, n_out, 5)
    w = np.array([1.0, 2.0, 0.0, 1.0, 3.0])
    rows = np.repeat(np.arange(5), w.astype(int))
    cind, crow, cperm = build_csc(ip, ix, n_out)
    hyper = hyper_parameters(SGD, 0.3)
    results = []
    for Xb, yb, sw in ((X, y, w), (X[rows], y[rows], _NO_WEIGHTS)):
        d = d0.copy()
        a = np.empty((n_in, Xb.shape[0]), dtype)
        dense_to_feature_major(Xb, a)
        out = np.empty((n_out, Xb.shape[0]), dtype)
        e = np.empty(0, dtype)
        forward(a, cind, crow, cperm, d, np.zeros(n_out, dtype), ACTIVATIONS["softmax"], out,
                e, e, e, np.empty((0, 0), dtype))
        delta = np.empty_like(out)
        J = output_delta(out, yb, LOSS_LOG, delta, sw)
        bias = np.zeros(n_out, dtype)
        fused_update(a, e, e, np.empty((0, 0), dtype), e, delta, ip, ix, d,
                     np.empty((0, d.shape[0]), dtype), hyper, 0.0, 0,
                     np.empty((0, Xb.shape[0]), dtype))
        bias_update(delta, bias, np.empty((0, n_out), dtype), hyper)
        results.append((J, d, bias))
    assert results[0][0] == pytest.approx(results[1][0], rel=rtol_for(dtype))
    for a, b in zip(results[0][1:], results[1][1:], strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol_for(dtype), atol=1e-7)


def test_set_mse_error_does_not_vanish_when_outputs_saturate():
    """Its sigmoid derivative is taken at the output, so it stays in [0.197, 0.25]."""
    A = np.array([[1.0 - 1e-9], [1e-9]])
    delta = np.empty_like(A)
    output_delta(A, np.array([1]), LOSSES["set_mse"].code, delta, _NO_WEIGHTS)
    exact = np.empty_like(A)
    output_delta(A, np.array([1]), LOSSES["mse"].code, exact, _NO_WEIGHTS)
    assert np.abs(delta).min() > 0.19 and np.abs(exact).max() < 1e-8


def test_feature_major_blocks_match_reference(dtype, seed):
    X = sp.random(6, 11, density=0.3, format="csr", random_state=seed, dtype=dtype)
    out = np.full((11, 6), np.nan, dtype)
    args = (X.indptr.astype(np.int32), X.indices.astype(np.int32), X.data, out)
    csr_to_feature_major(*args)
    np.testing.assert_array_equal(out, ref.csr_to_feature_major(*args))
    np.testing.assert_array_equal(out, X.toarray().T)


def test_build_csc_is_a_permutation_into_data(seed):
    rng = np.random.default_rng(seed)
    ip, ix, d = _layer(rng, 20, 15, 0.3, np.float64)
    cind, crow, cperm = build_csc(ip, ix, 15)
    M = sp.csr_matrix((d, ix, ip), shape=(20, 15)).tocsc()
    np.testing.assert_array_equal(cind, M.indptr)
    np.testing.assert_array_equal(crow, M.indices)
    np.testing.assert_array_equal(d[cperm], M.data)
    for got, want in zip((cind, crow, cperm), ref.build_csc(ip, ix, 15), strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "loss,lam,mu,decay",
    [
        ("mse", 0.0, 0.0, 0.0),
        ("mse", 0.05, 0.0, 0.0),
        ("mse", 0.03, 0.9, 1e-3),
        ("log_loss", 0.02, 0.5, 0.0),
        ("set_mse", 0.05, 0.0, 0.0),
    ],
)
def test_training_step_matches_reference(dtype, seed, loss, lam, mu, decay):
    """Backward, gradient on the pattern, Hebbian term and fused update of a whole network."""
    rng = np.random.default_rng(seed)
    sizes = [12, 10, 8, 4]
    layers, biases = _net(rng, sizes, 0.4, dtype)
    n = 9
    X = rng.random((n, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], n)
    vel = [rng.normal(size=len(ix)).astype(dtype) * 0.01 for _, ix, _ in layers]
    velb = [rng.normal(size=len(b)).astype(dtype) * 0.01 for b in biases]
    dense = [
        ref.to_dense(ip, ix, d.astype(float), (a, b))
        for (ip, ix, d), a, b in zip(layers, sizes[:-1], sizes[1:], strict=True)
    ]
    Ws = [W for W, _ in dense]
    Ms = [M for _, M in dense]
    Vw = [
        ref.to_dense(ip, ix, v.astype(float), (a, b))[0]
        for (ip, ix, _), v, a, b in zip(layers, vel, sizes[:-1], sizes[1:], strict=True)
    ]
    bs = [b.astype(float) for b in biases]
    Vb = [v.astype(float) for v in velb]
    out = LOSSES[loss].out_activation
    eW, eb, eVw, eVb, eJ = ref.train_step(
        X.astype(float),
        y,
        Ws,
        Ms,
        bs,
        Vw,
        Vb,
        hidden="relu",
        out=out,
        loss_code=LOSSES[loss].code,
        lr=0.1,
        lam=lam,
        mu=mu,
        decay=decay,
    )
    _, J = _run_step(
        X,
        y,
        sizes,
        layers,
        biases,
        vel,
        velb,
        hidden="relu",
        out=out,
        loss=loss,
        lr=0.1,
        lam=lam,
        mu=mu,
        decay=decay,
    )
    tol = dict(rtol=rtol_for(dtype), atol=1e-5 if dtype == np.float32 else 1e-12)
    assert J == pytest.approx(eJ, rel=rtol_for(dtype))
    for k, ((ip, ix, d), a, b) in enumerate(zip(layers, sizes[:-1], sizes[1:], strict=True)):
        W, _ = ref.to_dense(ip, ix, d.astype(float), (a, b))
        np.testing.assert_allclose(W, eW[k], **tol)
        np.testing.assert_allclose(biases[k], eb[k], **tol)
        if mu != 0:
            V, _ = ref.to_dense(ip, ix, vel[k].astype(float), (a, b))
            np.testing.assert_allclose(V, eVw[k], **tol)


def test_hebbian_term_alone_matches_formula(dtype, seed):
    """With lr = 0 the update of a stored weight is exactly lam * mean_b[â_i (â_j - mean â_j)]."""
    rng = np.random.default_rng(seed)
    n_in, n_out, n = 10, 7, 12
    ip, ix, d = _layer(rng, n_in, n_out, 0.5, dtype)
    A_in = (rng.random((n_in, n)) * 3 + 1).astype(dtype)
    A_out = rng.random((n_out, n)).astype(dtype)
    m_in, _, inv_in, _ = _stats(A_in)
    _, _, inv_out, centered_out = _stats(A_out)
    delta = rng.normal(size=(n_out, n)).astype(dtype)
    before = d.copy()
    fused_update(
        A_in,
        m_in,
        inv_in,
        centered_out,
        inv_out,
        delta,
        ip,
        ix,
        d,
        np.empty((0, d.shape[0]), dtype),
        hyper_parameters(SGD, 0.0),
        0.3,
        0,
        np.empty((0, n), dtype),
    )
    _, M = ref.to_dense(ip, ix, d.astype(float), (n_in, n_out))
    H = ref.hebbian_term(A_in.T.astype(float), A_out.T.astype(float), M)
    got, _ = ref.to_dense(ip, ix, (d - before).astype(float), (n_in, n_out))
    np.testing.assert_allclose(got, 0.3 * H, rtol=10 * rtol_for(dtype), atol=1e-6)


def test_numerical_gradient_of_network_loss(seed):
    """An update with lr = 1 and lam = mu = decay = 0 is minus the finite-difference gradient."""
    rng = np.random.default_rng(seed)
    sizes = [6, 5, 4, 3]
    layers, biases = _net(rng, sizes, 0.6, np.float64)
    X = rng.random((8, sizes[0]))
    y = rng.integers(0, 3, 8)
    for hidden, loss, out in [("tanh", "mse", "sigmoid"), ("sigmoid", "log_loss", "softmax")]:
        code = LOSSES[loss].code
        dense = [
            ref.to_dense(ip, ix, d, (a, b))
            for (ip, ix, d), a, b in zip(layers, sizes[:-1], sizes[1:], strict=True)
        ]
        Ws = [W for W, _ in dense]
        bs = [b.copy() for b in biases]
        copies = [(ip, ix, d.copy()) for ip, ix, d in layers]
        bcopies = [b.copy() for b in biases]
        vel = [np.zeros_like(d) for _, _, d in layers]
        velb = [np.zeros_like(b) for b in biases]
        lr = 1.0
        _run_step(
            X,
            y,
            sizes,
            copies,
            bcopies,
            vel,
            velb,
            hidden=hidden,
            out=out,
            loss=loss,
            lr=lr,
            lam=0.0,
            mu=0.0,
            decay=0.0,
        )
        h = 1e-6
        for k, (ip, ix, d) in enumerate(layers):
            rows = np.repeat(np.arange(sizes[k]), np.diff(ip))
            for q in range(0, len(ix), max(1, len(ix) // 8)):
                i, j = rows[q], ix[q]
                Wp = [W.copy() for W in Ws]
                Wp[k][i, j] += h
                Wm = [W.copy() for W in Ws]
                Wm[k][i, j] -= h
                num = (
                    ref.network_loss(X, y, Wp, bs, hidden, out, code)
                    - ref.network_loss(X, y, Wm, bs, hidden, out, code)
                ) / (2 * h)
                assert copies[k][2][q] - d[q] == pytest.approx(-lr * num, rel=1e-5, abs=1e-8)
            for j in range(sizes[k + 1]):
                bp = [b.copy() for b in bs]
                bp[k][j] += h
                bm = [b.copy() for b in bs]
                bm[k][j] -= h
                num = (
                    ref.network_loss(X, y, Ws, bp, hidden, out, code)
                    - ref.network_loss(X, y, Ws, bm, hidden, out, code)
                ) / (2 * h)
                assert bcopies[k][j] - bs[k][j] == pytest.approx(-lr * num, rel=1e-5, abs=1e-8)


def test_kernels_do_not_depend_on_thread_count(dtype):
    rng = np.random.default_rng(3)
    sizes = [30, 25, 20, 5]
    X = rng.random((16, 30)).astype(dtype)
    y = rng.integers(0, 5, 16)
    results = []
    for threads, twin in [(1, "parallel"), (_jit.get_num_threads(), "parallel"), (1, "serial")]:
        layers, biases = _net(np.random.default_rng(3), sizes, 0.3, dtype)
        vel = [np.zeros_like(d) for _, _, d in layers]
        velb = [np.zeros_like(b) for b in biases]
        old = _jit.get_num_threads()
        _jit.set_num_threads(threads)
        try:
            _run_step(
                X,
                y,
                sizes,
                layers,
                biases,
                vel,
                velb,
                hidden="relu",
                out="sigmoid",
                loss="mse",
                lr=0.1,
                lam=0.05,
                mu=0.9,
                decay=1e-4,
                twin=twin,
            )
        finally:
            _jit.set_num_threads(old)
        results.append([d.copy() for _, _, d in layers])
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_output_delta_reports_mean_loss(dtype):
    A = np.array([[0.2, 0.9], [0.8, 0.1]], dtype)
    delta = np.empty_like(A)
    J = output_delta(A, np.array([1, 0]), LOSS_LOG, delta, _NO_WEIGHTS)
    assert J == pytest.approx(-np.log(0.8 * 0.9) / 2, rel=rtol_for(dtype))
    np.testing.assert_allclose(delta, A - np.array([[0, 1], [1, 0]]), rtol=rtol_for(dtype))


def _tiled_layer(dtype, n=11, n_in=14, n_out=10):
    rng = np.random.default_rng(5)
    ip, ix, d = _layer(rng, n_in, n_out, 0.5, dtype)
    return rng, n_in, n_out, n, ip, ix, d, rng.random((n_in, n)).astype(dtype)


@pytest.mark.parametrize("tile", [1, 3, 5, 10])
def test_tiles_change_forward_not_at_all(dtype, tile):
    """Each output is the same sum in the same order whatever the tiles: equal bits."""
    rng, n_in, n_out, n, ip, ix, d, A_in = _tiled_layer(dtype)
    b = rng.normal(size=n_out).astype(dtype)
    csc = build_csc(ip, ix, n_out)
    results = []
    for t, work in [(0, None), (tile, None), (tile, np.full(ix.shape[0], np.nan, dtype))]:
        out = np.empty((n_out, n), dtype)
        m, mu, inv = (np.empty(n_out, dtype) for _ in range(3))
        c = np.empty_like(out)
        forward(A_in, *csc, d, b, ACTIVATIONS["relu"], out, m, mu, inv, c, t, work)
        results.append((out, m, mu, inv, c))
    for other in results[1:]:
        for a, want in zip(other, results[0], strict=True):
            np.testing.assert_array_equal(a, want)


@pytest.mark.parametrize("twin", ["serial", "parallel"])
def test_tiled_update_uses_the_work_array_and_old_weights(dtype, twin):
    """Several tiles: sums kept in ``work``, every tile propagates with the old weights."""
    rng, n_in, n_out, n, ip, ix, d, A_in = _tiled_layer(dtype)
    m_in, _, inv_in, _ = _stats(A_in)
    _, _, inv_out, centered = _stats(rng.random((n_out, n)).astype(dtype))
    delta = rng.normal(size=(n_out, n)).astype(dtype)
    _, hyper = _hyper("momentum", lr=0.5)
    state = np.zeros((1, ix.shape[0]), dtype)
    args = (A_in, m_in, inv_in, centered, inv_out, delta, ip, ix)
    expected = ref.fused_update(*args, d.copy(), state.copy(), hyper, 0.3, ACTIVATIONS["relu"],
                                np.empty((n_in, n), dtype))
    work = np.full((2, ix.shape[0] + 3), np.nan, dtype)
    got_d, got_state, got_din = d.copy(), state.copy(), np.full((n_in, n), np.nan, dtype)
    getattr(fused_update, twin)(*args, got_d, got_state, hyper, 0.3, ACTIVATIONS["relu"],
                                got_din, 4, work)
    assert np.isfinite(work[:, : ix.shape[0]]).all()  # the sums of the first tiles went there
    assert np.isnan(work[:, ix.shape[0] :]).all()
    for got, want in zip((got_d, got_state, got_din), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-6)


# 160 kB: the whole batch; 25.6 MB: tiles, a multiple of a vector; too many rows: the narrowest
@pytest.mark.parametrize("rows, itemsize, whole", [(100, 8, 1), (1 << 14, 8, 0), (1 << 22, 4, 0)])
def test_tile_width_rule(rows, itemsize, whole):
    width, step = sparse.tile_width(rows, 200, itemsize), sparse.MIN_TILE_BYTES // itemsize
    if whole:
        assert width == 200
    else:
        assert step <= width < 200 and width % step == 0
        assert rows * width * itemsize <= max(sparse.TILE_BYTES, rows * step * itemsize)


@pytest.mark.parametrize("units", [5, 300])
def test_centering_in_place_equals_the_centred_block(dtype, units):
    """Float64 means: the block centred in place has the bits forward's centred block has."""
    rng, n_in, _, n, ip, ix, d, A_in = _tiled_layer(dtype, 16, 6, units)
    b, csc = rng.normal(size=units).astype(dtype), build_csc(ip, ix, units)
    out, out2, c = (np.empty((units, n), dtype) for _ in range(3))
    m, inv, mu = (np.empty(units, dtype) for _ in range(3))
    mean64, relu = np.empty(units, np.float64), ACTIVATIONS["relu"]
    forward(A_in, *csc, d, b, relu, out, m, mu, inv, c)
    forward(A_in, *csc, d, b, relu, out2, m, mean64, inv, np.empty((0, 0), dtype))
    np.testing.assert_array_equal(out2, out)
    sparse.center_rows(out2, mean64)
    np.testing.assert_array_equal(out2, c)


@pytest.mark.parametrize("tile", [0, 5])
def test_wide_blocks_match_reference(dtype, tile):
    """Blocks of 40,000 rows (over 2 MiB): the kernels prefetch rows, results unchanged."""
    rng = np.random.default_rng(4)
    wide, narrow, n = 40_000, 3, 16
    p = 3 / wide
    for n_in, n_out in [(wide, narrow), (narrow, wide)]:
        ip, ix, d = _layer(rng, n_in, n_out, p if n_in == wide else 3 * p, dtype)
        A_in = rng.random((n_in, n)).astype(dtype)
        b = rng.normal(size=n_out).astype(dtype)
        out = np.empty((n_out, n), dtype)
        m, mu, inv = (np.empty(n_out, dtype) for _ in range(3))
        c = np.empty_like(out)
        args = (A_in, *build_csc(ip, ix, n_out), d, b, ACTIVATIONS["relu"], out, m, mu, inv, c)
        expected = ref.forward(*args)
        forward(*args, tile)
        for got, want in zip((out, m, mu, inv, c), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-5)
        m_in, _, inv_in, _ = _stats(A_in)
        delta = rng.normal(size=(n_out, n)).astype(dtype)
        state = np.zeros((1, ix.shape[0]), dtype)
        _, hyper = _hyper("momentum")
        args = (A_in, m_in, inv_in, c, inv, delta, ip, ix, d, state, hyper, 0.3,
                ACTIVATIONS["relu"], np.empty((n_in, n), dtype))
        expected = ref.fused_update(*args)
        fused_update(*args, tile)
        for got, want in zip((d, state, args[-1]), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=rtol_for(dtype), atol=1e-6)

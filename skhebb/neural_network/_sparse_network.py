"""The sparse network of HebbSETClassifier: forward pass, training step, SET evolution.

The layers are ``coefs_`` (CSR, one per layer, shape ``(n_in, n_out)``) and
``intercepts_``; the optimiser's state of each connection lies beside it in
``_opt_coefs``. Activations are feature-major (one row per unit) so that the
kernels of :mod:`skhebb._core.sparse` read them contiguously.
"""

import numpy as np
import scipy.sparse as sp

from skhebb._core.activations import ACTIVATIONS, row_stats
from skhebb._core.losses import LOSSES, output_delta
from skhebb._core.optim import SOLVERS, hyper_parameters
from skhebb._core.sparse import (
    bias_update,
    build_csc,
    center_rows,
    csr_to_feature_major,
    dense_to_feature_major,
    forward,
    fused_update,
)
from skhebb._core.topology import evolve, prune_mask


class SparseNetworkMixin:
    """Forward pass, mini-batch step and topology evolution of a sparse MLP.

    For :class:`~skhebb.neural_network.HebbSETClassifier`, whose parameters
    (``activation``, ``loss``, ``solver``, ``hebbian_strength``, ``zeta``, ...)
    and learned state it reads.
    """

    @property
    def _out_code(self):
        """Activation code of the output layer, the one the loss goes with."""
        return ACTIVATIONS[LOSSES[self.loss].out_activation]

    def _rebuild_orders(self):
        """CSC permutations of every layer: derived from ``coefs_``, rebuilt after each change.

        They live in one :class:`_Orders` object, rebuilt in place with the old
        permutations dropped first: copies of the estimator's attributes (the
        undo copy of a ``partial_fit`` call) share the object instead of keeping
        the old permutations alive beside the new ones.
        """
        holder = self.__dict__.get("_csc")
        if not isinstance(holder, _Orders):
            holder = self._csc = _Orders()
        holder.sources, holder.orders = [], []
        for c in self.coefs_:
            holder.orders.append(build_csc(c.indptr, c.indices, c.shape[1]))
            holder.sources.append(c.indices)

    def _layer_orders(self):
        """The CSC permutations of the current ``coefs_`` (rebuilt if built from other arrays)."""
        holder = self.__dict__.get("_csc")
        if not isinstance(holder, _Orders) or not holder.matches(self.coefs_):
            self._rebuild_orders()
        return self._csc.orders

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_csc", None)  # derived index order, rebuilt when loaded
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "coefs_" in state:
            self._rebuild_orders()

    def _lambda(self):
        return float(self.hebbian_strength * self.hebbian_decay**self.n_iter_)

    def _block(self, work, key, shape, dtype=None):
        """A work array of ``shape`` and ``dtype`` (the network's by default), kept in ``work``.

        Large fresh arrays come from the operating system as new zeroed pages;
        within a pass ``work`` is the run's dict (emptied after the pass), so
        each block is allocated once and overwritten by the kernels. Outside a
        pass (prediction) ``work`` is None and every call allocates, so
        concurrent predictions share nothing.
        """
        dtype = self._fit_dtype_ if dtype is None else dtype
        if work is None:
            return np.empty(shape, dtype=dtype)
        a = work.get(key)
        if a is None or a.shape != shape or a.dtype != dtype:
            a = work[key] = np.empty(shape, dtype=dtype)
        return a

    def _input_block(self, X, work):
        n = X.shape[0]
        a0 = self._block(work, "act0", (X.shape[1], n))
        if sp.issparse(X):
            X = X.tocsr()
            csr_to_feature_major(
                X.indptr.astype(np.int32, copy=False),
                X.indices.astype(np.int32, copy=False),
                X.data,
                a0,
            )
        else:
            dense_to_feature_major(X, a0)
        return a0

    def _forward(self, X, stats, work=None):
        """Feature-major activations of every layer.

        With ``stats``, also the batch statistics of every layer for the
        Hebbian term: minimum, ``1/(max - min + 1e-4)`` and the mean (float64,
        all but the input layer; :meth:`_batch_step` centres each block in place
        with it once the block's other uses are over). ``work``: see :meth:`_block`.
        """
        acts = [self._input_block(X, work)]
        width = acts[0].shape[1]
        mins, invs, means = [], [], []
        empty = np.empty(0, dtype=self._fit_dtype_)
        no_block = np.empty((0, 0), dtype=self._fit_dtype_)

        def _stats(k, units):
            if not stats:
                return empty, empty, empty
            return (
                self._block(work, ("min", k), (units,)),
                self._block(work, ("mean", k), (units,), np.float64),  # exact centring
                self._block(work, ("inv", k), (units,)),
            )

        m, mu, inv = _stats(0, acts[0].shape[0])
        if stats:
            row_stats(acts[0], m, mu, inv, no_block)
        mins.append(m), invs.append(inv), means.append(mu)
        hidden = ACTIVATIONS[self.activation]
        orders = self._layer_orders()
        last = len(self.coefs_) - 1
        for k, (coef, bias) in enumerate(zip(self.coefs_, self.intercepts_, strict=True)):
            cindptr, crow, cperm = orders[k]
            out = self._block(work, ("act", k + 1), (coef.shape[1], width))
            m, mu, inv = _stats(k + 1, coef.shape[1])
            code = self._out_code if k == last else hidden
            forward(acts[-1], cindptr, crow, cperm, coef.data, bias, code, out, m, mu, inv,
                    no_block)
            acts.append(out)
            mins.append(m), invs.append(inv), means.append(mu)
        return acts, mins, invs, means

    def _hyper(self):
        """The optimiser's hyper-parameters for the next update (counts the update)."""
        self._opt_steps += 1
        lr = self._learning_rate
        if self.learning_rate == "invscaling":  # samples seen before this epoch, as MLPClassifier
            lr = float(self.learning_rate_init) / (1.0 + self.n_samples_seen_) ** self.power_t
        return hyper_parameters(
            SOLVERS[self.solver],
            lr,
            momentum=float(self.momentum),
            nesterov=bool(self.nesterovs_momentum),
            beta_1=float(self.beta_1),
            beta_2=float(self.beta_2),
            epsilon=float(self.adam_epsilon),
            decay=lr * float(self.alpha),
            step=self._opt_steps,
        )

    def _batch_step(self, X, y, sample_weight, run):
        if self._pending_evolution is not None:
            seed, self._pending_evolution = self._pending_evolution, None
            self._evolve(seed, regrow=True)
        lam = self._lambda()
        work = run.work
        acts, mins, invs, means = self._forward(X, stats=lam != 0, work=work)
        width = acts[0].shape[1]
        last = len(self.coefs_)
        delta = self._block(work, ("delta", last), acts[-1].shape)
        if sample_weight is None:
            sw = np.empty(0, dtype=np.float64)
        else:
            sw = np.asarray(sample_weight, dtype=np.float64)
            if not sw.sum() > 0:
                return None  # nothing to learn from this batch
        loss = output_delta(acts[-1], y, LOSSES[self.loss].code, delta, sw)
        hidden = ACTIVATIONS[self.activation]
        hyper = self._hyper()
        no_rows = np.empty((0, width), dtype=self._fit_dtype_)
        no_block = np.empty((0, 0), dtype=self._fit_dtype_)
        for k in range(last - 1, -1, -1):
            coef = self.coefs_[k]
            # two error blocks in turn: the one read and the one written
            delta_in = (
                self._block(work, ("delta", k % 2), (coef.shape[0], width)) if k > 0 else no_rows
            )
            if lam != 0:  # the block's last use: the centred activity of the units
                center_rows(acts[k + 1], means[k + 1])
            fused_update(
                acts[k],
                mins[k],
                invs[k],
                acts[k + 1] if lam != 0 else no_block,
                invs[k + 1],
                delta,
                coef.indptr,
                coef.indices,
                coef.data,
                self._opt_coefs[k],
                hyper,
                lam,
                hidden,
                delta_in,
            )
            bias_update(delta, self.intercepts_[k], self._opt_intercepts[k], hyper)
            delta = delta_in
        return loss

    def _evolve(self, seed, regrow):
        """SET evolution of every layer: prune ``zeta``, then regrow as many if ``regrow``."""
        gen = np.random.default_rng(seed)
        signed = self.prune == "signed"
        scale = float(self.weight_scale) if self.regrowth == "random" else 0.0
        hist = self.topology_history_
        nnz, kept_fraction, positive = [], [], []
        for k, coef in enumerate(self.coefs_):
            before = coef.nnz
            remove = prune_mask(coef.data, float(self.zeta), signed)
            indptr, indices, data, state, kept = evolve(
                gen,
                coef.indptr,
                coef.indices,
                coef.data,
                self._opt_coefs[k],
                remove,
                coef.shape[1],
                regrow,
                scale,
            )
            self.coefs_[k] = _csr(indptr, indices, data, coef.shape)
            self._opt_coefs[k] = state
            nnz.append(int(indices.shape[0]))
            kept_fraction.append(kept / before if before else 1.0)
            positive.append(float(np.mean(data > 0)) if data.size else 0.0)
        self._rebuild_orders()
        hist["nnz"].append(nnz)
        hist["input_degree"].append(np.diff(self.coefs_[0].indptr).astype(np.int64))
        hist["kept_fraction"].append(kept_fraction)
        hist["positive_fraction"].append(positive)


class _Orders:
    """The CSC permutations of a network's layers and the index arrays they were built from."""

    def __init__(self):
        self.sources, self.orders = [], []

    def matches(self, coefs):
        """Whether the permutations belong to these layers (the very same index arrays)."""
        return len(coefs) == len(self.sources) and all(
            c.indices is src for c, src in zip(coefs, self.sources, strict=True)
        )


def _csr(indptr, indices, data, shape):
    """A csr_matrix that shares (does not copy) the kernel's arrays."""
    m = sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    if m.data is not data or m.indices is not indices or m.indptr is not indptr:
        m.data, m.indices, m.indptr = data, indices, indptr
    return m

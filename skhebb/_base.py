"""What the online Hebbian estimators share.

Every estimator in skhebb learns by passes of a local rule over mini-batches.
:class:`BaseHebbian` owns that loop once, for all of them:

* parameter validation (``_parameter_constraints``) and input validation
  (:func:`sklearn.utils.validation.validate_data`), before anything changes;
* ``fit`` = reset + ``max_iter`` epochs of the same pass that ``partial_fit``
  runs once, so both share one code path;
* the random state: ``fit`` draws a fresh generator from ``random_state``,
  ``partial_fit`` creates one on its first call and continues its stream;
* the divergence guard: a snapshot of the learned arrays is taken before each
  pass; if the pass leaves a non-finite value, or the weights grow more than
  :data:`DIVERGENCE_GROWTH` times over the larger of their size before the
  pass and the scale of the data (see ``_divergence_measure``), the snapshot
  is restored, a :class:`~sklearn.exceptions.ConvergenceWarning` that points
  at the caller's line says what happened and training stops, so the
  estimator stays usable and never holds NaN;
* ``verbose`` progress, one line per epoch.

A subclass provides the rule through four hooks:

``_init_state(n_features, dtype, rng)``
    Create the learned arrays (called once per ``fit``, or on the first
    ``partial_fit``).
``_state_names``
    Names of the attributes that the rule changes (arrays, or lists of arrays).
    They are snapshotted before each pass and checked for finiteness after it.
``_batch_step(X_batch, y_batch, sample_weight, run)``
    Apply the rule to one mini-batch in place. ``sample_weight`` is None
    (every sample counts once) or a positive array of shape ``(n_batch,)`` in
    the dtype of ``X``. Returns the batch loss or None.
``_end_epoch(rng, run, last)``
    Optional work after each pass (topology evolution, reassignment).

The mode of training reaches the hooks as an argument, never as an attribute
set for the time of a call: ``run`` is the :class:`Run` of the current
``fit`` or ``partial_fit`` call (the epochs ``fit`` plans, work arrays that
the mini-batches of one pass share, the state of early stopping).

:class:`BaseHebbianTransformer` is the base of the unsupervised
transformers; :class:`skhebb._classifier.BaseHebbianClassifier` (label
handling, sample and class weights, unlabeled rows) that of the classifiers.

Docstrings of every subclass may hold a line ``%(name)s``: it is replaced by
the entry ``name`` of :data:`DOC_ENTRIES` (see :mod:`skhebb._docstrings`), so
text the estimators share is written once.
"""

import copy
import inspect
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from skhebb._docstrings import fill

__all__ = [
    "BaseHebbian",
    "BaseHebbianTransformer",
    "Run",
    "DIVERGENCE_GROWTH",
]

#: Growth of the weights over one pass that counts as divergence: more than this many
#: times the larger of their size before the pass and the largest magnitude of the data.
DIVERGENCE_GROWTH = 1e4

#: Top-level packages whose frames a warning skips to reach the caller's line.
_LIBRARY_PACKAGES = ("skhebb", "sklearn")


def caller_stacklevel():
    """``stacklevel`` that attributes a warning to the first frame outside the library.

    For use as ``warnings.warn(..., stacklevel=caller_stacklevel())``: frames of
    skhebb and of scikit-learn (its ``fit`` wrappers, ``Pipeline``, ...) are
    skipped, so the warning names the line of the user's code that called them.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None:
        if frame.f_globals.get("__name__", "").partition(".")[0] not in _LIBRARY_PACKAGES:
            return level
        frame, level = frame.f_back, level + 1
    return level - 1


#: Docstring entries the estimators share: in the docstrings of every subclass of
#: :class:`BaseHebbian` (see :func:`_fill_docstrings`), a line ``%(name)s`` stands for
#: ``DOC_ENTRIES[name]``.
DOC_ENTRIES = {
    "X_parameters": """\
Parameters
----------
X : {array-like, sparse matrix} of shape (n_samples, n_features)
    Samples, dense or CSR.""",
    "label_parameters": """\
class_weight : dict, "balanced" or None, default=None
    Weight of each class, multiplying the weight of its samples: a dict
    ``{label: weight}`` (missing labels weigh 1), "balanced" for
    ``n_samples / (n_classes * np.bincount(y))`` over the labelled
    training samples (``fit`` only), or None for 1.
unlabeled_label : int, float, str or None, default=None
    Label that marks an unlabeled sample, e.g. ``-1`` as in scikit-learn's
    semi-supervised estimators. Such rows are skipped by the supervised
    update and are not a class. None: every label is a class, ``-1``
    included.""",
    "partial_fit_labels": """\
X : {array-like, sparse matrix} of shape (n_samples, n_features)
    A chunk of training data; a single sample is fine.
y : array-like of shape (n_samples,)
    Target labels (see ``fit``).
classes : array-like of shape (n_classes,), default=None
    Every label that can appear. Required on the first call, ignored
    (but checked) afterwards.""",
    "fit_returns": """\
Returns
-------
self : object
    The fitted estimator.""",
    "partial_fit_returns": """\
Returns
-------
self : object
    The updated estimator.""",
    "samples_parameters": """\
Parameters
----------
X : {array-like, sparse matrix} of shape (n_samples, n_features)
    Samples.
y : Ignored
    Not used, present for API consistency.""",
    "mse_score_returns": """\
Returns
-------
score : float
    :math:`-\\frac{1}{n} \\sum_x \\lVert x - \\hat x \\rVert^2`.""",
    "epoch_attributes": """\
n_iter_ : int
    Number of epochs run.
n_samples_seen_ : int
    Samples processed (counting every epoch).
n_features_in_ : int
    Number of features seen during ``fit``.
feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of features seen during ``fit``, when ``X`` has string column names.""",
}


def _fill_docstrings(cls):
    """Replace the ``%(name)s`` lines of the docstrings of ``cls`` by their entries.

    The class docstring and those of the functions the class itself defines
    get the entry of :data:`DOC_ENTRIES`, indented as the placeholder line.
    """
    if cls.__doc__:
        cls.__doc__ = fill(cls.__doc__, DOC_ENTRIES)
    for member in vars(cls).values():
        if inspect.isfunction(member) and member.__doc__:
            member.__doc__ = fill(member.__doc__, DOC_ENTRIES)
    return cls


@dataclass
class Run:
    """One call of ``fit`` or ``partial_fit``, handed to the hooks of its passes.

    Attributes
    ----------
    epochs : int or None
        The epochs that ``fit`` plans (``max_iter``); None for ``partial_fit``.
    work : dict
        Work arrays that the mini-batches of one pass may reuse; emptied after
        each pass, so nothing of it outlives the pass.
    validation : tuple or None
        ``(X_val, y_val)`` held out of ``fit`` for early stopping, or None.
    best_state : dict or None
        With early stopping, the snapshot of the best-scoring state so far;
        ``fit`` ends by restoring it.
    no_improvement : int
        With early stopping, the epochs since the score last improved.
    """

    epochs: int | None = None
    work: dict = field(default_factory=dict)
    validation: tuple | None = None
    best_state: dict | None = None
    no_improvement: int = 0


def _copy_state(value):
    """Deep copy of a learned attribute: an array, a list of arrays, a scalar."""
    if isinstance(value, np.ndarray):
        return value.copy()
    return copy.deepcopy(value)


def _max_abs(value):
    """Largest magnitude in a learned attribute (arrays, lists, sparse); inf if not finite."""
    if isinstance(value, (list, tuple)):
        return max((_max_abs(v) for v in value), default=0.0)
    if hasattr(value, "data") and isinstance(value.data, np.ndarray):  # scipy.sparse
        value = value.data
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and value.size:
        m = float(np.max(np.abs(value)))
        return m if np.isfinite(m) else np.inf
    return 0.0


def _mutable_copy(value):
    """Copy of what a call may change in place: random generators, arrays, lists, dicts."""
    if isinstance(value, (np.random.RandomState, np.random.Generator)):
        return copy.deepcopy(value)
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return {k: _mutable_copy(v) for k, v in value.items()}
    return value


def _data_scale(X):
    """Largest magnitude of the training data ``X`` (dense or sparse)."""
    values = X.data if hasattr(X, "tocsr") else X
    return float(np.max(np.abs(values))) if values.size else 0.0


def _all_finite(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.isfinite(value).all())
    if isinstance(value, (list, tuple)):
        return all(_all_finite(v) for v in value)
    if hasattr(value, "data") and isinstance(value.data, np.ndarray):  # scipy.sparse
        return _all_finite(value.data)
    if isinstance(value, (float, np.floating)):
        return bool(np.isfinite(value))
    return True


class BaseHebbian(BaseEstimator):
    """Base class of the estimators trained by mini-batch passes of a local rule.

    Not meant to be used directly: see the module docstring for the hooks a
    subclass implements.
    """

    _parameter_constraints: dict = {
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: Attributes changed by the rule; snapshotted and checked around every pass.
    _state_names: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _fill_docstrings(cls)  # every estimator's docstrings may use the shared entries

    # ------------------------------------------------------------------ hooks
    def _init_state(self, n_features, dtype, rng):  # pragma: no cover - abstract
        raise NotImplementedError

    def _batch_step(self, X, y, sample_weight, run):  # pragma: no cover - abstract
        raise NotImplementedError

    #: Attributes whose growth the divergence guard watches; ``_state_names`` if None.
    _weight_names: tuple | None = None

    def _divergence_measure(self):
        """Size of the weights after a pass, or None to watch finiteness only.

        The largest magnitude in the attributes of ``_weight_names``. The pass
        diverged if this grew more than :data:`DIVERGENCE_GROWTH` times over the
        larger of its value before the pass, the scale of the data and 1.
        """
        names = self._state_names if self._weight_names is None else self._weight_names
        return max((_max_abs(getattr(self, name)) for name in names), default=0.0)

    def _end_epoch(self, rng, run, last):
        """Work after each pass; nothing by default."""

    def _check_params(self, X):
        """Checks that involve several parameters or the data; nothing by default."""

    # ------------------------------------------------------------- utilities
    def _is_initialized(self):
        return hasattr(self, "n_iter_")

    def _validate_X(self, X, y="no_validation", *, reset):
        """Validate training data; after the first fit ``X`` is cast to the fitted dtype."""
        dtype = [np.float64, np.float32] if reset else self._fit_dtype_
        return validate_data(
            self,
            X,
            y,
            reset=reset,
            accept_sparse="csr",
            accept_large_sparse=False,
            dtype=dtype,
        )

    def _validate_X_predict(self, X):
        """Validation used by ``transform``/``predict``: fitted, right width, finite."""
        check_is_fitted(self)
        return validate_data(
            self,
            X,
            reset=False,
            accept_sparse="csr",
            accept_large_sparse=False,
            dtype=self._fit_dtype_,
        )

    def _batches(self, n_samples, rng):
        """Yield index arrays (or slices) of the mini-batches of one pass."""
        batch_size = min(self.batch_size, n_samples)
        if getattr(self, "shuffle", False):
            order = rng.permutation(n_samples)
            for start in range(0, n_samples, batch_size):
                yield order[start : start + batch_size]
        else:
            for start in range(0, n_samples, batch_size):
                yield slice(start, start + batch_size)

    def _snapshot(self):
        return {name: _copy_state(getattr(self, name)) for name in self._state_names}

    def _restore(self, snapshot):
        for name, value in snapshot.items():
            setattr(self, name, value)

    @contextmanager
    def _atomic(self):
        """Undo every attribute change if the body raises: bad input changes nothing.

        Attributes are restored as they were, including what the call changes
        in place (the learned state, random generators, counters, lists).
        """
        saved = {
            name: _copy_state(value) if name in self._state_names else _mutable_copy(value)
            for name, value in self.__dict__.items()
        }
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _state_is_finite(self):
        return all(_all_finite(getattr(self, name)) for name in self._state_names)

    # --------------------------------------------------------------- training
    def _initialize(self, X, y, rng, sample_weight=None):
        """Reset the learned state for data ``X`` (whose rows weigh ``sample_weight``)."""
        self._check_params(X)
        self._fit_dtype_ = X.dtype
        self.n_iter_ = 0
        self.n_samples_seen_ = 0
        self.loss_curve_ = []
        self._init_state(X.shape[1], X.dtype, rng)

    def _pass(self, X, y, rng, run, *, last, sample_weight=None):
        """One epoch over ``(X, y)`` for ``run``; returns False if the rule diverged.

        ``sample_weight`` (None or positive, one per row) is sliced with the
        mini-batches. On divergence the state from before the pass is
        restored and a ConvergenceWarning is raised, so the estimator stays
        usable.
        """
        t0 = time.perf_counter()
        snapshot = self._snapshot()
        before = self._divergence_measure()
        losses = []
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                for batch in self._batches(X.shape[0], rng):
                    loss = self._batch_step(
                        X[batch],
                        None if y is None else y[batch],
                        None if sample_weight is None else sample_weight[batch],
                        run,
                    )
                    if loss is not None:
                        losses.append(loss)
        except BaseException:
            self._restore(snapshot)
            raise
        finally:
            run.work.clear()
        loss = float(np.mean(losses)) if losses else None
        problem = self._divergence(before, X, loss)
        if problem:
            self._restore(snapshot)
            warnings.warn(
                f"{type(self).__name__} diverged during epoch {self.n_iter_ + 1}: "
                f"{problem}. Training stopped and the weights from before that epoch "
                "were kept; lower `learning_rate` or scale the input.",
                ConvergenceWarning,
                stacklevel=caller_stacklevel(),
            )
            return False
        self._end_epoch(rng, run, last)
        self.n_iter_ += 1
        self.n_samples_seen_ += X.shape[0]
        if loss is not None:
            self.loss_curve_.append(loss)
        if self.verbose:
            msg = f"Epoch {self.n_iter_}"
            if loss is not None:
                msg += f", loss = {loss:.6f}"
            extra = self._epoch_report()
            if extra:
                msg += ", " + extra
            print(f"[{type(self).__name__}] {msg}, {time.perf_counter() - t0:.3f} s")
        return True

    def _divergence(self, before, X, loss):
        """What went wrong in the pass just made over ``X``, or "" if nothing did."""
        if not self._state_is_finite():
            return "the weights became non-finite"
        if loss is not None and not np.isfinite(loss):
            return "the loss became non-finite"
        after = self._divergence_measure()
        if after is None or before is None:
            return ""
        limit = DIVERGENCE_GROWTH * max(before, 1.0)
        # beyond G x max(before, 1, scale of X): X is read only when the weights pass the rest
        if after > limit and after > DIVERGENCE_GROWTH * _data_scale(X):
            return f"the weights grew from {before:.3g} to {after:.3g}"
        return ""

    def _epoch_report(self):
        """Extra text for the verbose line of an epoch (validation score, ...)."""
        return ""

    def _stop_early(self, run):
        """Whether ``fit`` should stop after the current epoch (convergence)."""
        return False

    def _fit(self, X, y=None, sample_weight=None, validation=None):
        """Up to ``max_iter`` passes over ``(X, y)`` from a fresh state.

        ``validation``, the ``(X_val, y_val)`` of early stopping, reaches the
        hooks in the :class:`Run`; the best state they kept is restored at the end.
        """
        run = Run(epochs=self.max_iter, validation=validation)
        rng = check_random_state(self.random_state)
        self._initialize(X, y, rng, sample_weight)
        for epoch in range(self.max_iter):
            last = epoch == self.max_iter - 1
            if not self._pass(X, y, rng, run, last=last, sample_weight=sample_weight):
                break
            if self._stop_early(run):
                break
        if run.best_state is not None:
            self._restore(run.best_state)
        # partial_fit after fit continues this stream
        self._random_state = rng
        return self

    def _partial_fit(self, X, y=None, sample_weight=None):
        """One pass over ``(X, y)``; the first call initialises the state from ``X``."""
        if not self._is_initialized():
            self._random_state = check_random_state(self.random_state)
            self._initialize(X, y, self._random_state, sample_weight)
        elif not hasattr(self, "_random_state"):
            self._random_state = check_random_state(self.random_state)
        if X.shape[0]:
            self._pass(X, y, self._random_state, Run(), last=False, sample_weight=sample_weight)
        return self

    def _check_sample_weight(self, sample_weight, X):
        """Validated weights of the rows of ``X``: None when every weight is 1."""
        if sample_weight is None:
            return None
        sw = _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)
        if not np.any(sw > 0):
            raise ValueError("Sample weights must contain at least one non-zero number.")
        return None if np.all(sw == 1) else sw

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class BaseHebbianTransformer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseHebbian):
    """Base of the unsupervised Hebbian transformers (``y`` is ignored).

    Gives ``fit_transform``, ``get_feature_names_out`` (``classname0``,
    ``classname1``, ... from ``_n_features_out``) and ``set_output``.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the weights from ``X`` by ``max_iter`` passes of the rule.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. CSR input is used without densifying the whole array.
        y : Ignored
            Not used, present for API consistency. Labels of ``-1`` (unlabeled
            samples) are therefore fine: every row takes part in learning.

        %(fit_returns)s
        """
        with self._atomic():
            X = self._validate_X(X, reset=True)
            return self._fit(X)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Update the weights with one pass of the rule over ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data.
        y : Ignored
            Not used, present for API consistency.

        %(partial_fit_returns)s
        """
        with self._atomic():
            X = self._validate_X(X, reset=not self._is_initialized())
            return self._partial_fit(X)

    def _validate_outputs(self, X):
        """Outputs of ``transform`` given to ``inverse_transform``: dense, fitted dtype, width.

        ValueError when ``X`` does not have ``n_components`` columns.
        """
        check_is_fitted(self)
        X = check_array(X.toarray() if sp.issparse(X) else X, dtype=self._fit_dtype_)
        if X.shape[1] != self.n_components:
            raise ValueError(
                f"X has {X.shape[1]} features, but inverse_transform expects "
                f"{self.n_components} (n_components)."
            )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

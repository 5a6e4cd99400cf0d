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
  pass; if the pass leaves a non-finite value the snapshot is restored, a
  :class:`~sklearn.exceptions.ConvergenceWarning` says what happened and
  training stops, so the estimator stays usable and never holds NaN;
* ``verbose`` progress, one line per epoch.

A subclass provides the rule through four hooks:

``_init_state(n_features, dtype, rng)``
    Create the learned arrays (called once per ``fit``, or on the first
    ``partial_fit``).
``_state_names``
    Names of the attributes that the rule changes (arrays, or lists of arrays).
    They are snapshotted before each pass and checked for finiteness after it.
``_batch_step(X_batch, y_batch, run)``
    Apply the rule to one mini-batch in place. Returns the batch loss or None.
``_end_epoch(rng, run, last)``
    Optional work after each pass (topology evolution, reassignment).

The mode of training reaches the hooks as an argument, never as an attribute
set for the time of a call: ``run`` is the :class:`Run` of the current
``fit`` or ``partial_fit`` call (the epochs ``fit`` plans, work arrays that
the mini-batches of one pass share, the state of early stopping).

:class:`BaseHebbianClassifier` adds label handling: ``classes_``, encoded
targets, ``classes=`` on the first ``partial_fit``, and scikit-learn's
semi-supervised convention that ``y == -1`` marks an unlabeled sample; a
classifier provides ``_proba(X)`` and gets ``predict`` and ``predict_proba``.

Docstrings of every subclass may hold a line ``%(name)s``: it is replaced by
the entry ``name`` of :data:`DOC_ENTRIES`, so text the estimators share is
written once.
"""

import copy
import inspect
import re
import textwrap
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "BaseHebbian",
    "BaseHebbianClassifier",
    "BaseHebbianTransformer",
    "Run",
    "UNLABELED",
]

#: Label that marks an unlabeled sample (scikit-learn's semi-supervised convention).
UNLABELED = -1


#: Docstring entries the estimators share: in the docstrings of every subclass of
#: :class:`BaseHebbian` (see :func:`_fill_docstrings`), a line ``%(name)s`` stands for
#: ``DOC_ENTRIES[name]``.
DOC_ENTRIES = {
    "X_parameters": """\
Parameters
----------
X : {array-like, sparse matrix} of shape (n_samples, n_features)
    Samples, dense or CSR.""",
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

_PLACEHOLDER = re.compile(r"^([ \t]*)%\((\w+)\)s[ \t]*$", re.MULTILINE)


def _fill(doc):
    return _PLACEHOLDER.sub(lambda m: textwrap.indent(DOC_ENTRIES[m[2]], m[1]), doc)


def _fill_docstrings(cls):
    """Replace the ``%(name)s`` lines of the docstrings of ``cls`` by their entries.

    The class docstring and those of the functions the class itself defines
    get the entry of :data:`DOC_ENTRIES`, indented as the placeholder line.
    """
    if cls.__doc__:
        cls.__doc__ = _fill(cls.__doc__)
    for member in vars(cls).values():
        if inspect.isfunction(member) and member.__doc__:
            member.__doc__ = _fill(member.__doc__)
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

    def _batch_step(self, X, y, run):  # pragma: no cover - abstract
        raise NotImplementedError

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
        """Undo every attribute change if the body raises: bad input changes nothing."""
        saved = dict(self.__dict__)
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _state_is_finite(self):
        return all(_all_finite(getattr(self, name)) for name in self._state_names)

    # --------------------------------------------------------------- training
    def _initialize(self, X, y, rng):
        """Reset the learned state for data ``X``."""
        self._check_params(X)
        self._fit_dtype_ = X.dtype
        self.n_iter_ = 0
        self.n_samples_seen_ = 0
        self.loss_curve_ = []
        self._init_state(X.shape[1], X.dtype, rng)

    def _pass(self, X, y, rng, run, *, last):
        """One epoch over ``(X, y)`` for ``run``; returns False if the rule diverged.

        On divergence the state from before the pass is restored and a
        ConvergenceWarning is raised, so the estimator stays usable.
        """
        t0 = time.perf_counter()
        snapshot = self._snapshot()
        losses = []
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                for batch in self._batches(X.shape[0], rng):
                    loss = self._batch_step(X[batch], None if y is None else y[batch], run)
                    if loss is not None:
                        losses.append(loss)
        except BaseException:
            self._restore(snapshot)
            raise
        finally:
            run.work.clear()
        loss = float(np.mean(losses)) if losses else None
        if not self._state_is_finite() or (loss is not None and not np.isfinite(loss)):
            self._restore(snapshot)
            warnings.warn(
                f"{type(self).__name__} diverged during epoch {self.n_iter_ + 1}: the "
                "weights became non-finite. Training stopped and the weights from "
                "before that epoch were kept; lower `learning_rate` or scale the input.",
                ConvergenceWarning,
                stacklevel=3,
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

    def _epoch_report(self):
        """Extra text for the verbose line of an epoch (validation score, ...)."""
        return ""

    def _stop_early(self, run):
        """Whether ``fit`` should stop after the current epoch (convergence)."""
        return False

    def _fit(self, X, y=None, validation=None):
        """Up to ``max_iter`` passes over ``(X, y)`` from a fresh state.

        ``validation``, the ``(X_val, y_val)`` of early stopping, reaches the
        hooks in the :class:`Run`; the best state they kept is restored at the end.
        """
        run = Run(epochs=self.max_iter, validation=validation)
        rng = check_random_state(self.random_state)
        self._initialize(X, y, rng)
        for epoch in range(self.max_iter):
            if not self._pass(X, y, rng, run, last=epoch == self.max_iter - 1):
                break
            if self._stop_early(run):
                break
        if run.best_state is not None:
            self._restore(run.best_state)
        # partial_fit after fit continues this stream
        self._random_state = rng
        return self

    def _partial_fit(self, X, y=None):
        """One pass over ``(X, y)``; the first call initialises the state from ``X``."""
        if not self._is_initialized():
            self._random_state = check_random_state(self.random_state)
            self._initialize(X, y, self._random_state)
        elif not hasattr(self, "_random_state"):
            self._random_state = check_random_state(self.random_state)
        if X.shape[0]:
            self._pass(X, y, self._random_state, Run(), last=False)
        return self

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

        Returns
        -------
        self : object
            The fitted estimator.
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

        Returns
        -------
        self : object
            The updated estimator.
        """
        with self._atomic():
            X = self._validate_X(X, reset=not self._is_initialized())
            return self._partial_fit(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class BaseHebbianClassifier(ClassifierMixin, BaseHebbian):
    """Base of the Hebbian classifiers: labels, ``classes_`` and unlabeled rows.

    Targets are encoded as integers ``0 .. n_classes - 1`` before they reach
    ``_batch_step``; unlabeled samples (``y == -1``) arrive encoded as ``-1``
    and a rule that learns only from labels must skip them.
    """

    #: Whether rows with y == -1 are passed to ``_batch_step`` (True) or dropped (False).
    _uses_unlabeled = False

    def _encode_y(self, y):
        """Integer codes of ``y`` in ``classes_``; -1 for unlabeled samples."""
        y = np.asarray(y)
        labeled = _labeled_mask(y)
        codes = np.full(y.shape[0], UNLABELED, dtype=np.intp)
        if labeled.any():
            yl = y[labeled]
            unseen = np.setdiff1d(np.unique(yl), self.classes_)
            if unseen.size:
                raise ValueError(
                    f"y contains labels {unseen.tolist()} that are not in classes_ "
                    f"{self.classes_.tolist()}; pass every label to `classes` on the "
                    "first call to partial_fit."
                )
            codes[labeled] = np.searchsorted(self.classes_, yl)
        return codes

    def _check_X_y(self, X, y, *, reset):
        X, y = self._validate_X(X, y, reset=reset)
        check_classification_targets(y)
        return X, y

    def _keep_labeled(self, X, codes):
        if self._uses_unlabeled:
            return X, codes
        labeled = codes != UNLABELED
        if labeled.all():
            return X, codes
        return X[labeled], codes[labeled]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on ``(X, y)`` for ``max_iter`` epochs.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or CSR, float32 or float64.
        y : array-like of shape (n_samples,)
            Target labels. ``-1`` marks an unlabeled sample (scikit-learn's
            semi-supervised convention); the supervised update skips it.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with self._atomic():
            X, y = self._check_X_y(X, y, reset=True)
            labeled = _labeled_mask(y)
            classes = unique_labels(y[labeled]) if labeled.any() else np.array([])
            if classes.size < 2:
                raise ValueError(
                    f"{type(self).__name__} needs labeled samples of at least 2 classes; "
                    f"got {classes.size} class(es) among the labeled samples (y == -1 "
                    "marks an unlabeled sample)."
                )
            self.classes_ = classes
            codes = self._encode_y(y)
            X, codes = self._keep_labeled(X, codes)
            return self._fit(X, codes)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None):
        """Update the network with one pass over ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data; a single sample is fine.
        y : array-like of shape (n_samples,)
            Target labels; ``-1`` marks an unlabeled sample.
        classes : array-like of shape (n_classes,), default=None
            Every label that can appear. Required on the first call, ignored
            (but checked) afterwards.

        Returns
        -------
        self : object
            The updated estimator.
        """
        with self._atomic():
            first = not self._is_initialized()
            if first:
                if classes is None:
                    raise ValueError(
                        "classes must be passed on the first call to partial_fit; it "
                        "lists every label that can appear."
                    )
                classes = unique_labels(np.asarray(classes))
                if classes.size < 2:
                    raise ValueError(
                        f"classes must hold at least 2 labels, got {classes.tolist()}."
                    )
            elif classes is not None and not np.array_equal(
                unique_labels(np.asarray(classes)), self.classes_
            ):
                raise ValueError(
                    f"classes={np.asarray(classes).tolist()} differs from the classes_ "
                    f"{self.classes_.tolist()} of the first call to partial_fit."
                )
            X, y = self._check_X_y(X, y, reset=first)
            if first:
                self.classes_ = classes
            X, codes = self._keep_labeled(X, self._encode_y(y))
            return self._partial_fit(X, codes)

    # -------------------------------------------------------------- inference
    def _proba(self, X):  # pragma: no cover - abstract
        """Class probabilities of validated samples ``X``, columns in ``classes_`` order."""
        raise NotImplementedError

    def _predict_codes(self, X):
        """Indices in ``classes_`` of the predicted classes of validated samples ``X``."""
        return np.argmax(self._proba(X), axis=1)

    def predict(self, X):
        """Predict the class of each sample.

        %(X_parameters)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The predicted labels, taken from ``classes_``.
        """
        codes = self._predict_codes(self._validate_X_predict(X))
        return self.classes_[codes]

    def predict_proba(self, X):
        """Probability of each class for each sample.

        %(X_parameters)s

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities, columns in the order of ``classes_``; the
            estimator's Notes say how its outputs become probabilities.
        """
        return self._proba(self._validate_X_predict(X))


def _labeled_mask(y):
    """True where ``y`` holds a label, False where it is ``-1`` (unlabeled)."""
    if y.dtype.kind in "iuf":
        return y != UNLABELED
    if y.dtype.kind == "O":
        return np.array([not (isinstance(v, Integral) and v == UNLABELED) for v in y], bool)
    return np.ones(y.shape[0], dtype=bool)


"""The base of the Hebbian classifiers: labels, ``classes_``, weights and unlabeled rows.

:class:`BaseHebbianClassifier` adds label handling to the training loop of
:class:`skhebb._base.BaseHebbian`: ``classes_``, encoded targets, ``classes=``
on the first ``partial_fit``, ``warm_start`` checks, sample and class weights
(one weight per sample, handed to ``_batch_step``), and the opt-in
``unlabeled_label`` (every label is a class unless the estimator names a marker
of unlabeled rows); a classifier provides ``_proba(X)`` and gets ``predict``,
``predict_proba`` and ``predict_log_proba``.
"""

from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, unique_labels

from skhebb._base import BaseHebbian

__all__ = ["BaseHebbianClassifier"]


class BaseHebbianClassifier(ClassifierMixin, BaseHebbian):
    """Base of the Hebbian classifiers: labels, ``classes_``, weights and unlabeled rows.

    Targets are encoded as integers ``0 .. n_classes - 1`` before they reach
    ``_batch_step``. Every label is a class, as in every scikit-learn
    classifier; rows labelled ``unlabeled_label`` (when a subclass's user sets
    it) and rows of weight 0 never reach ``_batch_step``. Subclasses have the
    parameters ``class_weight`` and ``unlabeled_label``.
    """

    _parameter_constraints: dict = {
        **BaseHebbian._parameter_constraints,
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "unlabeled_label": [None, Real, str],
    }

    def _unlabeled_mask(self, y):
        """True where ``y`` holds the ``unlabeled_label`` marker."""
        return _is_label(np.asarray(y), getattr(self, "unlabeled_label", None))

    def _encode_y(self, y):
        """Integer codes of ``y`` in ``classes_``; -1 for unlabeled samples."""
        y = np.asarray(y)
        labeled = ~self._unlabeled_mask(y)
        codes = np.full(y.shape[0], -1, dtype=np.intp)
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

    def _weights(self, X, codes, sample_weight, *, incremental):
        """One weight per row: ``sample_weight`` times the class weight; None if all 1."""
        sw = self._check_sample_weight(sample_weight, X)
        if self.class_weight is None:
            return sw
        if incremental and isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' is not supported by partial_fit, whose chunks need "
                "not show the class frequencies; compute the weights on the whole training "
                "set (sklearn.utils.class_weight.compute_class_weight) and pass them as a "
                "dict."
            )
        labeled = codes >= 0
        per_class = compute_class_weight(
            self.class_weight, classes=self.classes_, y=self.classes_[codes[labeled]]
        )
        cw = np.ones(codes.shape[0], dtype=X.dtype)
        cw[labeled] = per_class[codes[labeled]]
        sw = cw if sw is None else sw * cw
        return None if np.all(sw == 1) else sw

    @staticmethod
    def _trained_rows(X, codes, sw):
        """The rows that take part in training: labelled ones of positive weight."""
        keep = codes >= 0
        if sw is not None:
            keep &= sw > 0
        if not keep.all():
            X, codes, sw = X[keep], codes[keep], None if sw is None else sw[keep]
        return X, codes, None if sw is None or np.all(sw == 1) else sw

    def _require_two_classes(self, n_classes):
        if n_classes < 2:
            marker = self.unlabeled_label
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes with a positive "
                f"weight; got {n_classes} class(es)"
                + ("." if marker is None else f" (y == {marker!r} marks an unlabeled sample).")
            )

    def _fit_labels(self, X, y, sample_weight):
        """``fit`` once parameters are validated: labels, weights, then the epochs."""
        X, y = self._check_X_y(X, y, reset=True)
        unlabeled = self._unlabeled_mask(y)
        classes = unique_labels(y[~unlabeled]) if not unlabeled.all() else np.array([])
        self._require_two_classes(classes.size)
        if (
            getattr(self, "warm_start", False)
            and self._is_initialized()
            and not np.array_equal(classes, self.classes_)
        ):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in the "
                f"previous call to fit. Previously got {self.classes_}, `y` has {classes}."
            )
        self.classes_ = classes
        codes = self._encode_y(y)
        sw = self._weights(X, codes, sample_weight, incremental=False)
        X, codes, sw = self._trained_rows(X, codes, sw)
        self._require_two_classes(np.unique(codes).size)
        return self._fit(X, codes, sample_weight=sw)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train on ``(X, y)`` for ``max_iter`` epochs.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or CSR, float32 or float64.
        y : array-like of shape (n_samples,)
            Target labels. Every label is a class (``-1`` included) unless
            ``unlabeled_label`` names a marker of unlabeled rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample, multiplied by its class weight
            (``class_weight``). Rows of weight 0 are left out.

        %(fit_returns)s
        """
        with self._atomic():
            return self._fit_labels(X, y, sample_weight)

    def _partial_fit_labels(self, X, y, classes, sample_weight):
        """``partial_fit`` once parameters are validated."""
        first = not self._is_initialized()
        if first:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit; it "
                    "lists every label that can appear."
                )
            classes = unique_labels(np.asarray(classes))
            if self._unlabeled_mask(classes).any():
                raise ValueError(
                    f"classes={classes.tolist()} holds the unlabeled_label "
                    f"{self.unlabeled_label!r}, which marks unlabeled rows and is not a class."
                )
            if classes.size < 2:
                raise ValueError(f"classes must hold at least 2 labels, got {classes.tolist()}.")
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
        codes = self._encode_y(y)
        sw = self._weights(X, codes, sample_weight, incremental=True)
        return self._partial_fit(*self._trained_rows(X, codes, sw))

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Update the network with one pass over ``(X, y)``.

        Parameters
        ----------
        %(partial_fit_labels)s
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample (see ``fit``).

        %(partial_fit_returns)s
        """
        with self._atomic():
            return self._partial_fit_labels(X, y, classes, sample_weight)

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

    def predict_log_proba(self, X):
        """Logarithm of the probability of each class for each sample.

        %(X_parameters)s

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``, with probabilities below the smallest
            positive normal number of their dtype taken as that number, so
            every value is finite.
        """
        proba = self.predict_proba(X)
        return np.log(np.maximum(proba, np.finfo(proba.dtype).tiny))


def _is_label(values, label):
    """True where ``values`` equals ``label`` (a number or a string; None: nowhere)."""
    if label is None or values.size == 0:
        return np.zeros(values.shape[0], dtype=bool)
    text = isinstance(label, str)
    if values.dtype.kind == "O":
        return np.array(
            [isinstance(v, str) == text and not isinstance(v, bool) and v == label for v in values],
            dtype=bool,
        )
    if (values.dtype.kind in "US") == text:
        return values == label
    return np.zeros(values.shape[0], dtype=bool)

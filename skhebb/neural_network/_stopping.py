"""Stopping rules of HebbSETClassifier: early stopping, the loss tolerance, the adaptive step.

As scikit-learn's ``MLPClassifier``: with ``early_stopping`` a stratified
``validation_fraction`` of the training set is held out and scored after each
epoch, the best-scoring state is kept; otherwise training stops when the
training loss has not improved by ``tol`` for ``n_iter_no_change`` epochs.
With ``learning_rate="adaptive"`` the step is divided by 5 instead, until it
falls below 1e-6.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skhebb._base import caller_stacklevel


class StoppingRulesMixin:
    """The stopping hooks of :class:`~skhebb.neural_network.HebbSETClassifier`.

    For a :class:`skhebb._classifier.BaseHebbianClassifier` with the parameters
    ``tol``, ``n_iter_no_change``, ``early_stopping``, ``validation_fraction``,
    ``learning_rate`` and ``warm_start``, and a step size ``_learning_rate``.
    """

    def _record_validation(self, run):
        X_val, y_val = run.validation
        score = float(np.mean(self._predict_codes(X_val) == y_val))
        self.validation_scores_.append(score)
        tol = 0.0 if self.tol is None else self.tol
        if score > self.best_validation_score_ + tol:
            run.no_improvement = 0
        else:
            run.no_improvement += 1
        if score > self.best_validation_score_:
            self.best_validation_score_ = score
            run.best_state = self._snapshot()

    def _stop_early(self, run):
        if run.validation is not None:
            if self.tol is None or run.no_improvement < self.n_iter_no_change:
                return False
            return not self._adapt(run)
        if self.tol is None or not self.loss_curve_:
            return False
        loss = self.loss_curve_[-1]
        if loss > self.best_loss_ - self.tol:
            run.no_improvement += 1
        else:
            run.no_improvement = 0
        self.best_loss_ = min(self.best_loss_, loss)
        if run.no_improvement <= self.n_iter_no_change:
            return False
        return not self._adapt(run)

    def _adapt(self, run):
        """With ``learning_rate="adaptive"``: divide the step by 5 while it stays above 1e-6."""
        if self.learning_rate != "adaptive" or self._learning_rate / 5.0 < 1e-6:
            return False
        self._learning_rate /= 5.0
        run.no_improvement = 0
        if self.verbose:
            print(f"[{type(self).__name__}] learning rate set to {self._learning_rate:g}")
        return True

    def _epoch_report(self):
        if self.early_stopping and getattr(self, "validation_scores_", None):
            return f"validation score = {self.validation_scores_[-1]:.4f}"
        return ""

    def _fit(self, X, y=None, sample_weight=None):
        continued = self.warm_start and hasattr(self, "coefs_") and hasattr(self, "n_iter_")
        start = self.n_iter_ if continued else 0
        if not (continued and hasattr(self, "best_loss_")):
            self.best_loss_ = np.inf
        if not self.early_stopping:
            super()._fit(X, y, sample_weight)
        else:
            parts = [X, y] if sample_weight is None else [X, y, sample_weight]
            split = train_test_split(
                *parts, test_size=self.validation_fraction, stratify=y,
                random_state=self.random_state,
            )
            X, X_val, y, y_val = split[:4]
            sample_weight = None if sample_weight is None else split[4]
            if not (self.warm_start and hasattr(self, "validation_scores_")):
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
            super()._fit(X, y, sample_weight, validation=(X_val, y_val))
        if self.tol is not None and self.n_iter_ - start >= self.max_iter:
            warnings.warn(
                f"{type(self).__name__}: the maximum of {self.max_iter} epochs was reached "
                "before the stopping rule was met; raise max_iter for a converged network.",
                ConvergenceWarning,
                stacklevel=caller_stacklevel(),
            )
        return self

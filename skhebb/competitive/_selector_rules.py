"""The learning rules of :class:`LateralInhibitionSelectors`, one entry each.

An entry says everything the estimator needs to know about its rule: how the
selectors start, the norm their size is measured in (a reassigned selector is
scaled to the median size of the live ones in it), whether ``"auto"`` means
normalised updates, which parameter combinations it refuses, and the kernel
call of one mini-batch. The estimator reads nothing else about the rule, so a
new rule is its kernel in :mod:`skhebb._core.rules` plus one entry here (and
its line in the estimator's docstring).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from skhebb._core import rules

__all__ = ["SELECTOR_RULES", "SelectorRule"]


def _no_check(est):
    """Accept every parameter combination."""


@dataclass(frozen=True)
class SelectorRule:
    """How one learning rule of the selectors starts, measures, checks and steps.

    Attributes
    ----------
    name : str
        The value of the estimator's ``rule`` parameter.
    normalize_updates : bool
        What ``normalize_updates="auto"`` means for this rule.
    norm_order : callable
        ``norm_order(est) -> float``: order of the norm of a selector's weights.
    init : callable
        ``init(est, W) -> W``: scale the normal draws ``W`` of shape
        ``(n_selectors, n_features)`` to the rule's starting point.
    step : callable
        ``step(est, W, X, learning_rate, normalize, wins)``: one mini-batch of
        the rule on ``W`` in place; adds each selector's winner count to ``wins``.
    check : callable
        ``check(est)``: raise ValueError for parameters the rule cannot use.
    """

    name: str
    normalize_updates: bool
    norm_order: Callable
    init: Callable
    step: Callable
    check: Callable = _no_check


def _sanger_step(est, W, X, learning_rate, normalize, wins):
    rules.lateral_inhibition_step(
        W,
        X,
        float(est.inhibition),
        learning_rate,
        normalize,
        est.average_,
        est.gamma,
        est.epsilon,
        wins,
    )


def _krotov_init(est, W):
    # start on the unit p-norm sphere, the fixed point of the rule's norm
    W /= np.linalg.norm(W, ord=est.p, axis=1, keepdims=True)
    return W


def _krotov_check(est):
    if est.k > est.n_selectors:
        raise ValueError(
            f"k={est.k} must be at most n_selectors={est.n_selectors} for rule 'krotov'."
        )


def _krotov_step(est, W, X, learning_rate, normalize, wins):
    # sign(W) |W|^(p-1), kept in step with W by the kernel and recomputed whenever W may
    # have changed outside it: a new pass (another fit or partial_fit call, where the
    # user may have edited components_), a reassignment, or a restored W
    key = (est.n_samples_seen_, est.n_reassigned_)
    cache = getattr(est, "_krotov_powered", None)
    if cache is None or cache[0] is not W or cache[1] != key:
        cache = (W, key, rules.signed_power(W, float(est.p) - 1.0))
        est._krotov_powered = cache
    rules.krotov_step(W, X, float(est.p), est.k, est.delta, learning_rate, normalize, wins,
                      cache[2])


def _scaled_by_width(est, W):
    W /= np.sqrt(W.shape[1])
    return W


#: The rules by name: what ``LateralInhibitionSelectors(rule=...)`` accepts.
SELECTOR_RULES = {
    rule.name: rule
    for rule in (
        SelectorRule(
            name="sanger",
            normalize_updates=False,
            norm_order=lambda est: 2.0,
            init=_scaled_by_width,
            step=_sanger_step,
        ),
        SelectorRule(
            name="krotov",
            normalize_updates=True,
            norm_order=lambda est: est.p,
            init=_krotov_init,
            step=_krotov_step,
            check=_krotov_check,
        ),
    )
}

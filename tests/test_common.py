"""scikit-learn's estimator checks over every public skhebb estimator.

Estimators are found from ``skhebb.__all__`` and ``skhebb.preprocessing.__all__``, so a new
one cannot be missed;
each is built with small settings so that the checks run quickly.
"""

import inspect

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import skhebb
import skhebb.preprocessing

# Public namespaces searched for estimators.
_NAMESPACES = (skhebb, skhebb.preprocessing)

# Small settings per estimator, as scikit-learn's own INIT_PARAMS.
INIT_PARAMS = {
    "HebbSETClassifier": dict(hidden_layer_sizes=(16,), max_iter=5, random_state=0),
    "SupervisedHebbClassifier": dict(random_state=0),
    "HebbianPCA": dict(n_components=2, random_state=0),
    "SoftWTA": dict(n_components=4, random_state=0),
    "LateralInhibitionSelectors": dict(n_selectors=8, random_state=0),
    "SampleMinMaxScaler": dict(),
}

# Settings for single checks, as scikit-learn's PER_ESTIMATOR_CHECK_PARAMS. Integer
# sample weights equal repeated rows where the rule sees the data as a whole: one
# mini-batch per epoch (the update is a weighted mean), no reassignment of units onto
# random rows, a start that does not draw random rows (the checks' data have 30
# features), and for HebbSET no early-stopping split, no shuffling (the random stream
# then serves the topology alone) and no Hebbian term (its batch statistics are not
# weighted).
_ONE_BATCH_SOFT_WTA = dict(
    init=np.random.RandomState(0).rand(4, 30), batch_size=1000, reassignment_ratio=0.0
)
_ONE_BATCH_HEBBSET = dict(
    batch_size=1000, shuffle=False, hebbian_strength=0.0, early_stopping=False
)
CHECK_PARAMS = {
    "SoftWTA": {
        "check_sample_weight_equivalence_on_dense_data": _ONE_BATCH_SOFT_WTA,
        "check_sample_weight_equivalence_on_sparse_data": _ONE_BATCH_SOFT_WTA,
    },
    "HebbSETClassifier": {
        "check_sample_weight_equivalence_on_dense_data": _ONE_BATCH_HEBBSET,
        "check_sample_weight_equivalence_on_sparse_data": _ONE_BATCH_HEBBSET,
    },
}


def _public_estimators():
    for module in _NAMESPACES:
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                yield obj


def _instances():
    return [cls(**INIT_PARAMS.get(cls.__name__, {})) for cls in _public_estimators()]


def test_every_estimator_has_check_settings():
    names = {cls.__name__ for cls in _public_estimators()}
    assert names == set(INIT_PARAMS)


def _check_name(check):
    return getattr(check, "func", check).__name__


@parametrize_with_checks(_instances())
def test_sklearn_compatible_estimator(estimator, check):
    params = CHECK_PARAMS.get(type(estimator).__name__, {}).get(_check_name(check))
    if params:
        estimator = clone(estimator).set_params(**params)
    check(estimator)

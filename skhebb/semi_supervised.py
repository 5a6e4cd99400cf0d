"""The few-labels recipe: Hebbian features from every row, a linear read-out from the labelled few.

When most rows have no label, learn the features without labels on all of them
and fit only the read-out on the labelled ones. The recipe that does this best
in skhebb's measurements is :class:`~skhebb.competitive.LateralInhibitionSelectors`
with the Krotov–Hopfield rule and a wide layer, read out by a standardised
logistic regression; :func:`few_labels_selectors` and
:func:`make_few_labels_pipeline` build it.

How the settings were chosen (the test sets were never used): the rule's own
parameters (``p=3``, ``k=7``, ``delta=0.4``, batches of 100, normalised updates,
learning rate 0.04 decaying linearly) are Krotov & Hopfield's; the number of
units (1,000 rather than 2,000), the training length and the response exponent
``inhibition=10`` (among 1 to 25) gave the best accuracy of a logistic read-out
trained on 1 % of the labels of 50,000 MNIST training images and scored on the
other 10,000 training images. The records (and the accuracy reached) are in
the benchmarks folder of the source tree.

The training length is stated in samples seen rather than epochs, so that the
same recipe suits a small data set: ``max_iter = ceil(480,000 / n_samples)``
(8 epochs of the 60,000 MNIST images; about 450 of 1,080 images).
"""

import math
from numbers import Integral

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from skhebb.competitive import LateralInhibitionSelectors

__all__ = ["FEW_LABELS_PARAMS", "SAMPLES_SEEN", "few_labels_selectors", "make_few_labels_pipeline"]

#: Parameters of :class:`~skhebb.competitive.LateralInhibitionSelectors` in the recipe
#: (beside ``max_iter``, which follows from the number of training rows).
FEW_LABELS_PARAMS = {
    "n_selectors": 1000,
    "rule": "krotov",
    "p": 3.0,
    "k": 7,
    "delta": 0.4,
    "inhibition": 10.0,
    "learning_rate": 0.04,
    "batch_size": 100,
    "schedule": "linear",
}

#: Samples the recipe's selectors see in ``fit`` (all epochs together).
SAMPLES_SEEN = 480_000


def _epochs(n_samples):
    if n_samples is None:
        return math.ceil(SAMPLES_SEEN / 60_000)
    if not isinstance(n_samples, Integral) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer or None, got {n_samples!r}.")
    return math.ceil(SAMPLES_SEEN / int(n_samples))


def few_labels_selectors(n_samples=None, *, random_state=None, **params):
    """Krotov–Hopfield selectors configured as the few-labels recipe.

    Parameters
    ----------
    n_samples : int or None, default=None
        Number of rows the selectors will be fitted on (labelled or not); it
        sets ``max_iter = ceil(SAMPLES_SEEN / n_samples)``. None assumes
        60,000 rows (8 epochs).
    random_state : int, RandomState instance or None, default=None
        Initial weights and shuffling.
    **params
        Parameters of :class:`~skhebb.competitive.LateralInhibitionSelectors`
        that replace those of :data:`FEW_LABELS_PARAMS` (and ``max_iter``).

    Returns
    -------
    selectors : LateralInhibitionSelectors
        Unfitted. Feed it inputs scaled to [0, 1] (pixels / 255); ``transform``
        gives ``n_selectors`` responses in [0, 1].

    See Also
    --------
    make_few_labels_pipeline : The selectors with their read-out.

    Examples
    --------
    >>> from skhebb.semi_supervised import few_labels_selectors
    >>> sel = few_labels_selectors(n_samples=1080, random_state=0)
    >>> sel.rule, sel.n_selectors, sel.max_iter
    ('krotov', 1000, 445)
    """
    settings = {**FEW_LABELS_PARAMS, "max_iter": _epochs(n_samples)}
    settings.update(params)
    return LateralInhibitionSelectors(**settings, random_state=random_state)


def make_few_labels_pipeline(n_samples=None, *, classifier=None, random_state=None, **params):
    """The few-labels recipe as a Pipeline: features from all rows, read-out from labelled rows.

    ``fit(X, y)`` with ``y == -1`` for the unlabelled rows fits the selectors
    (:func:`few_labels_selectors`) and a :class:`~sklearn.preprocessing.StandardScaler`
    on every row, and the classifier on the labelled rows only (through
    :class:`~sklearn.semi_supervised.SelfTrainingClassifier` with ``max_iter=0``:
    no pseudo-labels).

    Parameters
    ----------
    n_samples : int or None, default=None
        Number of rows ``fit`` will see, labelled or not (sets the selectors'
        epochs; see :func:`few_labels_selectors`).
    classifier : classifier or None, default=None
        The read-out; None is ``LogisticRegression(max_iter=1000)``.
    random_state : int, RandomState instance or None, default=None
        Seed of the selectors.
    **params
        Parameters of the selectors that replace the recipe's.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Steps ``"features"``, ``"scale"`` and ``"readout"``, unfitted.

    See Also
    --------
    few_labels_selectors : The feature step alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from skhebb.semi_supervised import make_few_labels_pipeline
    >>> X, y = load_digits(return_X_y=True)
    >>> y_partial = np.where(np.arange(len(y)) % 10 == 0, y, -1)  # 10 % labelled
    >>> model = make_few_labels_pipeline(len(X), n_selectors=100, max_iter=5, random_state=0)
    >>> model = model.fit(X / 16, y_partial)
    >>> model.named_steps["features"].n_samples_seen_ == 5 * len(X)
    True
    """
    if classifier is None:
        classifier = LogisticRegression(max_iter=1000)
    return Pipeline([
        ("features", few_labels_selectors(n_samples, random_state=random_state, **params)),
        ("scale", StandardScaler()),
        ("readout", SelfTrainingClassifier(classifier, max_iter=0)),
    ])

"""Semi-supervised workflow in scikit-learn idiom.

Labels ``-1`` mark unlabeled rows. In

    Pipeline([("hebb", <transformer>),
              ("clf", SelfTrainingClassifier(LogisticRegression(), max_iter=0))])

the Hebbian transformer ignores ``y`` and learns its features from every row,
while ``SelfTrainingClassifier`` with ``max_iter=0`` (no self-labelling) fits
its read-out on the labeled rows only.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from skhebb import HebbianPCA, LateralInhibitionSelectors, SoftWTA

TRANSFORMERS = {
    "HebbianPCA": lambda: HebbianPCA(n_components=20, random_state=0),
    "SoftWTA": lambda: SoftWTA(n_components=60, temperature=0.2, random_state=0),
    "LateralInhibitionSelectors": lambda: LateralInhibitionSelectors(
        n_selectors=64, inhibition=3.0, max_iter=10, random_state=0
    ),
}


@pytest.fixture(scope="module")
def split():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    rng = np.random.RandomState(0)
    y_partial = y_train.copy()
    y_partial[rng.rand(len(y_partial)) > 0.1] = -1  # about 10 % labeled
    return X_train, X_test, y_partial, y_test


@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_pipeline_learns_features_from_all_rows_and_readout_from_labeled(name, split):
    X_train, X_test, y_partial, y_test = split
    labeled = y_partial != -1
    pipe = Pipeline(
        [
            ("hebb", TRANSFORMERS[name]()),
            ("scale", MinMaxScaler()),
            ("clf", SelfTrainingClassifier(LogisticRegression(max_iter=1000), max_iter=0)),
        ]
    ).fit(X_train, y_partial)
    hebb, clf = pipe.named_steps["hebb"], pipe.named_steps["clf"]
    # features: every row, labeled or not, every epoch
    assert hebb.n_samples_seen_ == hebb.n_iter_ * len(X_train)
    # read-out: labeled rows only (max_iter=0: no pseudo-labels were added)
    np.testing.assert_array_equal(clf.labeled_iter_ == 0, labeled)
    assert (clf.transduction_[~labeled] == -1).all()
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    # about 125 labels for 10 classes: far above chance (10 %)
    assert pipe.score(X_test, y_test) > 0.6


def test_features_match_a_transformer_fitted_alone(split):
    """Inside the pipeline the transformer sees exactly what it sees alone: all of X."""
    X_train, X_test, y_partial, _ = split
    alone = HebbianPCA(n_components=5, max_iter=3, random_state=0).fit(X_train)
    pipe = Pipeline(
        [
            ("hebb", HebbianPCA(n_components=5, max_iter=3, random_state=0)),
            ("clf", SelfTrainingClassifier(LogisticRegression(), max_iter=0)),
        ]
    ).fit(X_train, y_partial)
    np.testing.assert_array_equal(pipe.named_steps["hebb"].components_, alone.components_)

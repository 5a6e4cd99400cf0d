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
from sklearn.preprocessing import MinMaxScaler, StandardScaler
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


# ------------------------------------------------------------- the few-labels recipe
def test_few_labels_selectors_follow_the_recipe():
    from skhebb.semi_supervised import FEW_LABELS_PARAMS, SAMPLES_SEEN, few_labels_selectors

    sel = few_labels_selectors(60_000, random_state=3)
    assert sel.get_params() | FEW_LABELS_PARAMS == sel.get_params()
    assert sel.max_iter == 8 and sel.random_state == 3
    assert few_labels_selectors().max_iter == 8  # 60,000 rows assumed
    assert few_labels_selectors(1080).max_iter == -(-SAMPLES_SEEN // 1080)  # ceil
    over = few_labels_selectors(1000, n_selectors=50, max_iter=2, inhibition=4.5)
    assert (over.n_selectors, over.max_iter, over.inhibition, over.rule) == (50, 2, 4.5, "krotov")


@pytest.mark.parametrize("n_samples", [0, -5, 2.5])
def test_few_labels_selectors_refuse_bad_n_samples(n_samples):
    from skhebb.semi_supervised import few_labels_selectors

    with pytest.raises(ValueError, match="n_samples must be a positive integer or None"):
        few_labels_selectors(n_samples)


def test_few_labels_pipeline_end_to_end(split):
    """The recipe's Pipeline: selectors from every row, read-out from the labelled rows."""
    from skhebb.semi_supervised import make_few_labels_pipeline

    X_train, X_test, y_partial, y_test = split
    labeled = y_partial != -1
    pipe = make_few_labels_pipeline(len(X_train), n_selectors=200, max_iter=20,
                                    random_state=0)
    assert [name for name, _ in pipe.steps] == ["features", "scale", "readout"]
    pipe.fit(X_train, y_partial)
    features, readout = pipe.named_steps["features"], pipe.named_steps["readout"]
    assert features.rule == "krotov" and features.n_samples_seen_ == 20 * len(X_train)
    np.testing.assert_array_equal(readout.labeled_iter_ == 0, labeled)
    assert (readout.transduction_[~labeled] == -1).all()
    # about 125 labels: the recipe's features beat a read-out on the raw pixels
    raw = Pipeline([
        ("scale", StandardScaler()),
        ("clf", SelfTrainingClassifier(LogisticRegression(max_iter=1000), max_iter=0)),
    ]).fit(X_train, y_partial)
    assert pipe.score(X_test, y_test) > raw.score(X_test, y_test)


def test_few_labels_pipeline_takes_another_readout(split):
    from sklearn.neighbors import KNeighborsClassifier

    from skhebb.semi_supervised import make_few_labels_pipeline

    X_train, X_test, y_partial, y_test = split
    pipe = make_few_labels_pipeline(classifier=KNeighborsClassifier(3), n_selectors=50,
                                    max_iter=3, random_state=0).fit(X_train, y_partial)
    assert isinstance(pipe.named_steps["readout"].estimator_, KNeighborsClassifier)
    assert pipe.score(X_test, y_test) > 0.5

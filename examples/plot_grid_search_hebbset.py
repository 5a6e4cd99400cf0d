r"""
Tuning HebbSET with GridSearchCV
================================

:class:`~skhebb.HebbSETClassifier` is an ordinary scikit-learn estimator, so its
hyper-parameters can be tuned with :class:`~sklearn.model_selection.GridSearchCV` inside a
:class:`~sklearn.pipeline.Pipeline`. This example searches the strength of the Hebbian term
(``hebbian_strength``, :math:`\lambda_0`; 0 is plain SET) and the step (``learning_rate``) on
TOX-171, the Lung-like gene-expression table bundled with skhebb (171 samples, 5,748 genes, 4
classes), with a small network and few epochs so that it runs in seconds, and compares the
tuned network with a logistic regression on the same split.
"""

# %%
# The pipeline
# ------------
# Per-feature standardisation, then a sparse network with one hidden layer of 100 units and
# the softmax / cross-entropy output (the tabular guide explains both). The search runs in this
# process (``n_jobs=1``); ``n_jobs=-1`` runs the fits in parallel processes, where joblib caps
# numba's threads so that processes and threads do not oversubscribe the cores.
import os

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skhebb import HebbSETClassifier
from skhebb.datasets import load_tox171

X, y = load_tox171(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                    random_state=0)

pipe = Pipeline([
    ("scale", StandardScaler()),
    ("net", HebbSETClassifier(hidden_layer_sizes=(100,), loss="log_loss", batch_size=30,
                              max_iter=30, random_state=0)),
])
param_grid = {
    "net__hebbian_strength": [0.0, 0.01],
    "net__learning_rate": [0.02, 0.05],
}
search = GridSearchCV(pipe, param_grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                      n_jobs=1)
search.fit(X_train, y_train)

# %%
# Results
# -------
columns = ["param_net__hebbian_strength", "param_net__learning_rate", "mean_test_score",
           "std_test_score", "rank_test_score"]
print(pd.DataFrame(search.cv_results_)[columns].to_string(index=False))
best = search.best_params_
print(f"best: hebbian_strength={best['net__hebbian_strength']:g}, "
      f"learning_rate={best['net__learning_rate']:g}")
print("held-out accuracy of the refitted best pipeline:", round(search.score(X_test, y_test), 3))
linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
print("held-out accuracy of LogisticRegression:", round(
    linear.fit(X_train, y_train).score(X_test, y_test), 3))

# %%
# Reading the result
# ------------------
# The larger step scores higher with and without the Hebbian term. The search picks the
# Hebbian term (:math:`\lambda_0 = 0.01`) over plain SET (:math:`\lambda_0 = 0`) by a few
# points, but that is no finding on this table: each fold's validation part holds about 43
# rows, so one row is 2.3 points, and the scores vary by 3–7 points from fold to fold
# (``std_test_score``). The recorded runs agree: on TOX-171 the Hebbian term shows no clear
# effect, while on MNIST under the paper's settings it speeds up learning markedly (see the
# reproductions page). The logistic regression is the bar to beat on such a table, and the
# tuned network stays far below it: scale, size and epochs matter more than the Hebbian term
# here (the tabular guide).

# %%
# Running the search on a Dask cluster
# ------------------------------------
# The fits of a search are independent joblib tasks, so the same code runs on a Dask cluster
# through joblib's Dask backend (needs the ``dask`` extra: ``dask`` and ``distributed``). The
# cell below does so only when a scheduler address is given in ``$DASK_SCHEDULER``; with
# ``distributed.Client()`` and no address it would start a local cluster instead.
if os.environ.get("DASK_SCHEDULER"):
    import joblib
    from distributed import Client

    with Client(os.environ["DASK_SCHEDULER"]), joblib.parallel_config(backend="dask"):
        GridSearchCV(pipe, param_grid, cv=3, n_jobs=-1).fit(X_train, y_train)

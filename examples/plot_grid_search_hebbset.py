r"""
Tuning HebbSET with GridSearchCV
================================

:class:`~skhebb.HebbSETClassifier` is an ordinary scikit-learn estimator, so its
hyper-parameters can be tuned with :class:`~sklearn.model_selection.GridSearchCV` inside a
:class:`~sklearn.pipeline.Pipeline`. This example searches the strength of the Hebbian term
(``hebbian_strength``, :math:`\lambda_0`; 0 is plain SET) and the initial learning rate on
TOX-171, the Lung-like gene-expression table bundled with skhebb (171 samples, 5,748 genes,
4 classes), from the estimator's defaults (one hidden layer, Adam, stopping on the training
loss), so that it runs in seconds.
"""

# %%
# The pipeline
# ------------
# Per-feature standardisation, then the sparse network with its defaults. The search runs in this
# process (``n_jobs=1``); ``n_jobs=-1`` runs the fits in parallel processes, where joblib caps
# numba's threads so that processes and threads do not oversubscribe the cores.
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
    ("net", HebbSETClassifier(random_state=0)),
])
param_grid = {
    "net__hebbian_strength": [0.0, 0.01],
    "net__learning_rate_init": [0.001, 0.003],
}
search = GridSearchCV(pipe, param_grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                      n_jobs=1)
search.fit(X_train, y_train)

# %%
# Results
# -------
columns = ["param_net__hebbian_strength", "param_net__learning_rate_init", "mean_test_score",
           "std_test_score", "rank_test_score"]
print(pd.DataFrame(search.cv_results_)[columns].to_string(index=False))
print("best:", search.best_params_)
print("held-out accuracy of the refitted best pipeline:", round(search.score(X_test, y_test), 3))
linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
print("held-out accuracy of LogisticRegression:",
      round(linear.fit(X_train, y_train).score(X_test, y_test), 3))

# %%
# Reading the result
# ------------------
# The search picks plain SET (:math:`\lambda_0 = 0`), but that is no finding about the Hebbian
# term: each fold's validation part holds about 43 rows, so one row is 2.3 points, and three of
# the four candidates are within one row of each other, with fold-to-fold spreads of 3–5
# points (``std_test_score``). Only the Hebbian term at the smaller step is clearly behind. The
# recorded runs agree: on TOX-171 the Hebbian term shows no clear effect, while on MNIST under
# the paper's settings it speeds up learning markedly (see the reproductions page); the
# defaults therefore leave it off. On the held-out quarter the tuned network is level with a
# standardised logistic regression, the baseline to report next to it on such a table.

# %%
# Running the search on a Dask cluster
# ------------------------------------
# The fits of a search are independent joblib tasks, so the same code runs on a Dask cluster
# through joblib's Dask backend (needs the ``dask`` extra: ``dask`` and ``distributed``). The
# cell below does so only when a scheduler address is given in ``$DASK_SCHEDULER``; with
# ``distributed.Client()`` and no address it would start a local cluster instead.
import os

if os.environ.get("DASK_SCHEDULER"):
    import joblib
    from distributed import Client

    with Client(os.environ["DASK_SCHEDULER"]), joblib.parallel_config(backend="dask"):
        GridSearchCV(pipe, param_grid, cv=3, n_jobs=-1).fit(X_train, y_train)

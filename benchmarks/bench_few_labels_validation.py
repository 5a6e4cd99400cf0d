"""How the sample-efficiency learners' settings were chosen, without the test set (not CI).

50,000 of the 60,000 MNIST training images (a seeded permutation) fit each
transformer without labels; a StandardScaler + LogisticRegression read-out is
trained on 1 % of them (500 images, 3 label draws, ``labeled_mask``) and scored
on the other 10,000 training images. The MNIST test images are never read.

Parts (``--parts``): ``raw``, ``pca`` (50 and 100 components), ``krotov``
(the Krotov–Hopfield rule with the paper's p, k, Delta, learning rate and
batches; units, epochs and the response exponent ``inhibition`` varied; the
exponent only changes ``transform``, so one fit serves every value),
``softwta`` (1,000 units, temperature and rule) and ``hpca`` (100 components,
activation).

Usage::

    PYTHONPATH=. python benchmarks/bench_few_labels_validation.py --data-home ../shared/data
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skhebb import HebbianPCA, LateralInhibitionSelectors, SoftWTA
from skhebb.datasets import load_mnist
from skhebb.experiments import labeled_mask

KROTOV_FITS = ((2000, 3), (2000, 8), (1000, 8))
INHIBITIONS = (1.0, 2.0, 3.0, 4.5, 6.0, 10.0, 15.0, 25.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--parts", nargs="+", default=["raw", "pca", "krotov", "softwta", "hpca"])
    args = parser.parse_args()
    X, y = load_mnist(subset="train", data_home=args.data_home, return_X_y=True)
    X = X / 255.0
    perm = np.random.RandomState(1234).permutation(X.shape[0])
    X_fit, y_fit, X_val, y_val = X[perm[:50000]], y[perm[:50000]], X[perm[50000:]], y[perm[50000:]]
    masks = [labeled_mask(y_fit, 0.01, seed) for seed in range(3)]

    def report(name, transform, fit_s):
        accs = []
        for m in masks:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
                accs.append(clf.fit(transform(X_fit[m]), y_fit[m]).score(transform(X_val), y_val))
        print(f"| {name} | {100 * np.mean(accs):.2f} ± {100 * np.std(accs):.2f} | {fit_s:.1f} |",
              flush=True)

    def timed_fit(est):
        t0 = time.perf_counter()
        est.fit(X_fit)
        return est, time.perf_counter() - t0

    print("| features | validation accuracy, 1 % labels (%) | fit (s) |")
    print("|---|---|---|")
    if "raw" in args.parts:
        report("raw pixels", lambda A: A, 0.0)
    if "pca" in args.parts:
        for k in (50, 100):
            est, t = timed_fit(PCA(k, random_state=0))
            report(f"PCA({k})", est.transform, t)
    if "krotov" in args.parts:
        for units, epochs in KROTOV_FITS:
            est, t = timed_fit(LateralInhibitionSelectors(
                units, rule="krotov", p=3.0, k=7, delta=0.4, learning_rate=0.04,
                batch_size=100, max_iter=epochs, schedule="linear", random_state=0))
            for lam in INHIBITIONS:
                est.inhibition = lam
                report(f"Krotov, {units} units, {epochs} epochs, inhibition {lam:g}",
                       est.transform, t)
    if "softwta" in args.parts:
        for rule, T in (("soft-wta", 0.5), ("soft-wta", 2.0), ("softhebb", 1.0)):
            est, t = timed_fit(SoftWTA(1000, rule=rule, temperature=T, max_iter=5,
                                       random_state=0))
            report(f"SoftWTA(1000, rule {rule}, temperature {T:g}, 5 epochs)", est.transform, t)
    if "hpca" in args.parts:
        for act in ("identity", "tanh", "relu"):
            est, t = timed_fit(HebbianPCA(100, activation=act, max_iter=10, random_state=0))
            report(f"HebbianPCA(100, {act}, 10 epochs)", est.transform, t)


if __name__ == "__main__":
    main()

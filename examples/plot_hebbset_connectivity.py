"""
Evolving input connectivity of HebbSET
======================================

SET prunes the weakest connections of every layer after each epoch and regrows as many at
random, so the number of connections stays fixed while their placement evolves. The number of
outgoing connections that an input keeps shows what the network uses: on MNIST, the paper's
Fig. 5 shows the connections of the first layer concentrating on the centre pixels, faster with
the Hebbian term (HebbSET) than without (SET).

The first layer of a fitted :class:`~skhebb.HebbSETClassifier` is the sparse matrix
``coefs_[0]`` (inputs × hidden units), so the connections per input pixel are
``coefs_[0].getnnz(axis=1)``, shown here as an image. The network's record of every epoch,
``topology_history_["input_degree"]``, gives the same counts after each epoch.

MNIST is read from ``$SKHEBB_DATA`` when it is set; otherwise scikit-learn's 8×8 digits stand
in.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skhebb import HebbSETClassifier
from skhebb.preprocessing import SampleMinMaxScaler

if os.environ.get("SKHEBB_DATA"):
    from skhebb.datasets import load_mnist

    X, y = load_mnist(return_X_y=True)
    rng = np.random.RandomState(0)
    rows = rng.choice(len(y), size=2000, replace=False)
    X, y, side = X[rows].astype(np.float32), y[rows], 28
else:
    X, y = load_digits(return_X_y=True)
    X, side = X.astype(np.float32), 8
X = SampleMinMaxScaler().fit_transform(X)
print(X.shape)

# %%
# Train SET and HebbSET
# ---------------------
# The same small network (one hidden layer of 300 units, sparsity level
# :math:`\varepsilon = 20`) and the same seed, with and without the Hebbian term.
epochs = [0, 4, 19]
nets = {}
for name, strength in [("SET", 0.0), ("HebbSET", 0.01)]:
    nets[name] = HebbSETClassifier.from_paper(  # the paper's training, a smaller network
        "mnist",
        hidden_layer_sizes=(300,),
        hebbian_strength=strength,
        batch_size=50,
        learning_rate_init=0.05,
        max_iter=max(epochs) + 1,
        final_prune=True,  # the paper's last prune: the record then has an entry per epoch
        random_state=0,
    ).fit(X, y)
    print(name, "training accuracy:", round(nets[name].score(X, y), 3))

# %%
# Connections per input pixel
# ---------------------------
# Rows: SET and HebbSET; columns: after the first, the fifth and the last epoch. The last
# column equals ``coefs_[0].getnnz(axis=1)`` of the fitted network.
fig, axes = plt.subplots(2, len(epochs), figsize=(2.6 * len(epochs), 5.4))
for row, (name, net) in enumerate(nets.items()):
    history = net.topology_history_["input_degree"]
    assert np.array_equal(history[-1], net.coefs_[0].getnnz(axis=1))
    vmax = max(np.max(h) for h in history)
    for col, epoch in enumerate(epochs):
        ax = axes[row, col]
        im = ax.imshow(np.asarray(history[epoch]).reshape(side, side), cmap="viridis",
                       vmin=0, vmax=vmax)
        ax.set_title(f"{name}, epoch {epoch + 1}", fontsize=9)
        ax.set_axis_off()
    fig.colorbar(im, ax=axes[row].tolist(), shrink=0.8, label="connections")
plt.show()

# %%
# Border pixels are constant (zero) in MNIST: connections from them receive no gradient and
# no Hebbian update, stay near their initial magnitude and are among the first pruned, so the
# connections migrate towards the informative centre. The paper's Fig. 5 shows this
# concentration appearing much sooner with the Hebbian term; compare the two rows above. (With
# the 8×8 digits fallback the effect is weaker: few of its pixels are always blank.)
#
# Pruning and regrowth keep the number of connections constant from epoch to epoch; only after
# the last epoch of ``fit`` is nothing regrown, so the fitted network holds :math:`1 - \zeta`
# of them, which darkens the last column.
for name, net in nets.items():
    counts = [nnz[0] for nnz in net.topology_history_["nnz"]]
    print(f"{name}: first-layer connections after epochs 1, 2 and {len(counts)}:",
          counts[0], counts[1], counts[-1])

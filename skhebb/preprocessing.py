"""Per-sample scaling used by the HebbSET experiments."""

from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.sparsefuncs import min_max_axis
from sklearn.utils.validation import validate_data

__all__ = ["SampleMinMaxScaler"]


class SampleMinMaxScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each sample (row) on its own to the range [0, 1].

    Each row ``x`` becomes ``(x - min(x)) / (max(x - min(x)) + eps)``: its
    smallest value maps to 0 and its largest to just below 1. This is the
    preprocessing of the HebbSET reference code, applied to MNIST and to the
    Lung gene-expression table. Unlike :class:`~sklearn.preprocessing.MinMaxScaler`,
    which scales each *feature* with statistics learned in ``fit``, the
    statistics here come from the sample itself: the transformer is stateless
    and ``fit`` only checks the input (as for
    :class:`~sklearn.preprocessing.Normalizer`).

    Parameters
    ----------
    eps : float, default=1e-4
        Added to each row's range before dividing, so that a constant row maps
        to zeros instead of NaN. The HebbSET reference code uses 1e-4.
    copy : bool, default=True
        If False, scale a float64/float32 array or CSR matrix in place where
        possible.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : Per-feature scaling to a range.
    sklearn.preprocessing.Normalizer : Per-sample scaling to unit norm.

    Notes
    -----
    For a row :math:`x \\in \\mathbb{R}^d`,

    .. math::

        \\operatorname{scale}(x)_j = \\frac{x_j - \\min_k x_k}
            {\\max_k (x_k - \\min_l x_l) + \\epsilon}.

    Sparse (CSR) input: the minimum and maximum of a row include its implicit
    zeros, so the result equals that of the dense row. A nonnegative row with at
    least one implicit zero has minimum 0 and is only divided by
    ``max(x) + eps``, which keeps its sparsity pattern. A row whose minimum is
    negative and that has implicit zeros would turn them into nonzero values,
    so such input is refused with a ``ValueError``; densify it first.

    Float32 and float64 input keep their dtype; other input is converted to
    float64.

    References
    ----------
    .. [1] A. de Ranitz, A. Beldad and E. Mocanu, "Enhancing learning in sparse
       neural networks: a Hebbian learning approach" (HebbSET), University of
       Twente, 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from skhebb.preprocessing import SampleMinMaxScaler
    >>> X = np.array([[1.0, 3.0, 5.0], [2.0, 2.0, 2.0]])
    >>> SampleMinMaxScaler(eps=0.0001).fit_transform(X).round(3)
    array([[0. , 0.5, 1. ],
           [0. , 0. , 0. ]])
    """

    _parameter_constraints: dict = {
        "eps": [Interval(Real, 0, None, closed="neither")],
        "copy": ["boolean"],
    }

    def __init__(self, eps=1e-4, *, copy=True):
        self.eps = eps
        self.copy = copy

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and record its number of features; nothing is learned.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The data.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32])
        return self

    def transform(self, X, copy=None):
        """Scale each row of ``X`` to [0, 1].

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The data. CSR input gives CSR output with the same sparsity pattern.
        copy : bool, default=None
            Whether to copy ``X``; ``None`` means the ``copy`` parameter.

        Returns
        -------
        X_scaled : {ndarray, sparse matrix} of shape (n_samples, n_features)
            The scaled rows, in the dtype of ``X`` (float32 or float64).
        """
        copy = self.copy if copy is None else copy
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            copy=copy,
        )
        eps = X.dtype.type(self.eps)
        if sp.issparse(X):
            return self._transform_csr(X, eps)
        low = X.min(axis=1, keepdims=True)
        X -= low
        X /= X.max(axis=1, keepdims=True) + eps
        return X

    @staticmethod
    def _transform_csr(X, eps):
        n_samples, n_features = X.shape
        if X.shape[0] == 0:
            return X
        low, high = min_max_axis(X, axis=1)
        nnz = np.diff(X.indptr)
        # explicit zeros do not count as implicit ones, but they are values like any other
        has_implicit = nnz < n_features
        bad = (low < 0) & has_implicit
        if bad.any():
            raise ValueError(
                f"SampleMinMaxScaler cannot scale sparse rows with negative values and "
                f"implicit zeros (row {int(np.flatnonzero(bad)[0])} and "
                f"{int(bad.sum()) - 1} others): shifting them by their minimum would make "
                "the implicit zeros nonzero. Convert X to a dense array first."
            )
        low = low.astype(X.dtype, copy=False)
        scale = (high - low).astype(X.dtype, copy=False) + eps
        rows = np.repeat(np.arange(n_samples), nnz)
        X.data -= low[rows]
        X.data /= scale[rows]
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

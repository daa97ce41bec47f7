"""A big day's articles in a few dimensions (LSA), for finding each one's likely neighbours.

The rows are projected on the leading right singular vectors of the TF-IDF matrix, found by
randomized subspace iteration (Halko, Martinsson and Tropp 2011, "Finding structure with
randomness", algorithm 4.4): the range of the matrix times a few random vectors, sharpened by
power iterations with re-orthonormalisation, then the singular vectors of the small matrix
that range spans. scikit-learn's TruncatedSVD does the same (its randomized solver); it is
not used here because importing it costs a big day's run about a second on its critical path
(scikit-learn imports scipy.stats), more than the decomposition itself. The coordinates only
choose which articles neighbours.py compares exactly, so their precision is HNSW's, single.
"""

from __future__ import annotations

# random directions beyond the dimensions wanted: the subspace found is that much larger,
# and its leading part the more accurate (the paper's p; 10 is its usual choice)
OVERSAMPLE = 10


def lsa_rows(matrix, dims: int, iterations: int = 3, seed: int = 0):
    """(n, dims) float32 coordinates of the rows of a sparse `matrix` along its `dims`
    leading singular directions (the rows times those directions: U times sigma), from a
    fixed seed, so the same matrix gives the same coordinates."""
    import numpy as np
    from scipy.linalg import lu

    a = matrix.astype(np.float32).tocsr()
    at = a.T.tocsr()
    size = min(dims + OVERSAMPLE, min(a.shape))
    omega = np.random.default_rng(seed).standard_normal((a.shape[1], size), dtype=np.float32)
    q = a @ omega
    for _ in range(iterations):
        # normalised before each product (the paper's QR; LU's lower factor spans the same
        # columns, for a fraction of the cost), or the columns all turn towards the first one
        q = a @ lu(at @ lu(q, permute_l=True)[0], permute_l=True)[0]
    q, _ = np.linalg.qr(q)
    # the small matrix q.T a (size x columns): its left singular vectors and values from
    # its Gram matrix (size x size, in double precision) rather than an SVD of it all
    small = (at @ q).T
    values, vectors = np.linalg.eigh(small.astype(np.float64) @ small.T.astype(np.float64))
    top = np.argsort(values)[::-1][:dims]
    sigma = np.sqrt(np.maximum(values[top], 0.0))
    return ((q @ vectors[:, top].astype(np.float32)) * sigma.astype(np.float32))

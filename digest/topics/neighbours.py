"""Each article's most similar articles, the links of the graph grouping.py divides.

Up to EXACT_UP_TO articles every pair is compared (a block of rows at a time, so memory
grows with n, not n squared). Beyond, all pairs would grow with n squared: the rows are
projected to LSA_DIMENSIONS dimensions (truncated SVD), an HNSW index (voyager, in C++)
gives each article CANDIDATES_PER_LINK times k candidates, and their exact TF-IDF cosines
pick the k kept, so the graph's weights are the same measure at every size.
"""

from __future__ import annotations

EXACT_UP_TO = 3000
LSA_DIMENSIONS = 100
CANDIDATES_PER_LINK = 3


def nearest(matrix, k: int):
    """(neighbours, similarities), each (n, k): every row's k most similar other rows."""
    if matrix.shape[0] <= EXACT_UP_TO:
        return exact(matrix, k)
    return approximate(matrix, k)


def exact(matrix, k: int, block: int = 512):
    """The k nearest neighbours of every row of a (unit-row) sparse matrix, all pairs."""
    import numpy as np

    n = matrix.shape[0]
    neighbours = np.empty((n, k), dtype=np.int64)
    weights = np.empty((n, k))
    transposed = matrix.T.tocsc()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = (matrix[start:stop] @ transposed).toarray()
        masked = sims.copy()
        masked[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        # stable sort: ties broken by position, so the graph is the same on every run
        rows = np.argsort(-masked, axis=1, kind="stable")[:, :k]
        neighbours[start:stop] = rows
        weights[start:stop] = np.take_along_axis(sims, rows, axis=1)
    return neighbours, weights


def approximate(matrix, k: int):
    """Nearly the k nearest neighbours, without comparing all pairs (see the module)."""
    import numpy as np
    import voyager
    from sklearn.decomposition import TruncatedSVD

    from digest.topics.norms import unit_rows

    n = matrix.shape[0]
    dims = min(LSA_DIMENSIONS, matrix.shape[1] - 1)
    # three power iterations rather than five, in single precision (HNSW's own): the
    # candidates are re-scored exactly anyway
    svd = TruncatedSVD(dims, n_iter=3, random_state=0)
    dense = unit_rows(svd.fit_transform(matrix.astype(np.float32))).astype(np.float32)
    index = voyager.Index(voyager.Space.Cosine, num_dimensions=dims, M=16,
                          ef_construction=100, random_seed=1, max_elements=n)
    # one thread: the order of insertion, hence the graph, is the same on every run
    index.add_items(dense, ids=list(range(n)), num_threads=1)
    wanted = min(n, CANDIDATES_PER_LINK * k + 1)
    candidates, _ = index.query(dense, k=wanted, query_ef=max(wanted, 2 * k))
    return rescored(matrix.tocsr(), candidates.astype(np.int64), k)


def rescored(csr, candidates, k: int, rows_per_block: int = 8):
    """Each row's k best `candidates` (n x m row numbers) by exact cosine of the (unit-row)
    sparse rows, best first, ties in the candidates' order; a row itself is never one.

    A few rows at a time: their candidates' rows are gathered (scipy, in C) and multiplied
    by the block's rows made dense, and each candidate keeps the product with its own row.
    A small block wastes little (each candidate is multiplied by the block's other rows
    too) and keeps memory bounded; on 6,674 articles 1.6-2.0 s against 4 s for gathering
    the entries in numpy and longer for a sparse product per row, the same links.
    """
    import numpy as np

    n, m = candidates.shape
    neighbours = np.empty((n, k), dtype=np.int64)
    weights = np.empty((n, k))
    for start in range(0, n, rows_per_block):
        stop = min(n, start + rows_per_block)
        cand = candidates[start:stop]
        own = np.arange(start, stop)[:, None]
        products = csr[cand.ravel()] @ np.ascontiguousarray(csr[start:stop].toarray().T)
        sims = products[np.arange(cand.size), np.repeat(np.arange(stop - start), m)]
        sims = sims.reshape(cand.shape)
        sims[cand == own] = -np.inf  # never a row itself
        # stable sort: ties broken by the candidates' order, as on every run
        order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        best = np.take_along_axis(sims, order, axis=1)
        got = np.take_along_axis(cand, order, axis=1)
        # (fewer candidates than links: the rest are links of weight 0, which are dropped)
        missing = ~np.isfinite(best)
        got[missing] = np.broadcast_to(own, got.shape)[missing]
        best[missing] = 0.0
        neighbours[start:stop], weights[start:stop] = got, best
    return neighbours, weights

"""Groups found in the day's articles, when no section is configured.

Articles become TF-IDF vectors of Snowball stems (vectors.py); each is linked to its
ceil(sqrt(n)) most similar articles (neighbours.py), and Leiden modularity optimisation
(igraph) on that graph chooses the number of groups, so nothing assumes how many topics a
day has. A few rounds of spherical k-means from that partition then move the articles that
sit between two groups. A small day (under MIN_HISTORY articles) chooses its resolution by
stability instead (_stable_groups). Leiden runs with fixed seeds: the same input, the
same groups.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from digest.topics.neighbours import nearest
from digest.topics.vectors import MIN_HISTORY, Background, _Doc, _vectors

# A small day's partition (see _stable_groups): runs that each see a random share of the
# vocabulary, and the modularity resolutions tried (1, the textbook default, and above it,
# since at 1 topics merge on small days; the range was chosen on one half of the BBC
# development set, by a hash of the id, and checked on the other half). 16 runs rather than
# 8: the agreement and the consensus are averages over random views, and with 8 their
# noise moved small days' groups (40-article samples: NMI 0.791 -> 0.796 on the tuning
# half, 0.755 -> 0.758 on the held-out one); it doubles a small day's ~0.3 s.
STABILITY_RUNS = 16
STABILITY_SHARE = 0.8
RESOLUTIONS = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5)
# neighbours per article: sqrt(n), but no more than this, so that the graph of a very big
# day stays bounded (10,000 articles: 30 each rather than 100). On the BBC set (1,672
# stories: 41 by sqrt(n)) any bound from 20 to 50 gives the same groups; 30 rather than 50
# saves the 10,000-article day 0.8 s of its 5-7 s of grouping (fewer candidates to
# re-score, a smaller graph for Leiden)
MAX_NEIGHBOURS = 30


def _graph_groups(similarity, k: int, resolution: float = 1.0, seed: int = 0):
    """Communities of the k-nearest-neighbour graph; the number comes from modularity."""
    import numpy as np

    sim = similarity.copy()
    np.fill_diagonal(sim, -np.inf)
    # stable sort: ties broken by position, so the graph is the same on every run
    neighbours = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    weights = np.take_along_axis(similarity, neighbours, axis=1)
    return _communities(neighbours, weights, resolution, seed)


def _communities(neighbours, weights, resolution: float = 1.0, seed: int = 0):
    """Leiden communities (igraph's C core) of the graph that links each row to its
    neighbours, by modularity at `resolution`; a fixed seed, so the same graph gives the
    same groups. (On 3,000 BBC-like articles: 0.06 s against networkx Louvain's 3.6 s and
    leidenalg's 1.8 s, at a slightly higher modularity than either.)"""
    import random

    import igraph
    import numpy as np

    n = neighbours.shape[0]
    rows = np.repeat(np.arange(n), neighbours.shape[1])
    cols = neighbours.ravel()
    w = weights.ravel()
    keep = (w > 0) & (rows != cols)
    # each pair once (i < j): a link both ends chose is one edge, as in networkx's Graph
    a, b = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep]
    pairs, first = np.unique(a * n + b, return_index=True)
    graph = igraph.Graph(n=n, edges=np.column_stack([pairs // n, pairs % n]).tolist())
    graph.es["weight"] = w[keep][first].tolist()
    # igraph draws from one global generator: a seeded one for this call, then the default
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = graph.community_leiden(objective_function="modularity", weights="weight",
                                       resolution=resolution, n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    return _numbered(np.asarray(found.membership))


def _numbered(labels):
    """Groups numbered by their first member, so labels do not depend on the method's order."""
    import numpy as np

    first = {}
    for i, g in enumerate(labels.tolist()):
        first.setdefault(g, len(first))
    return np.array([first[g] for g in labels.tolist()], dtype=int)


def _communities_networkx(neighbours, weights, resolution: float = 1.0, seed: int = 0):
    """Louvain communities in networkx (pure Python): what was used before igraph's
    Leiden, kept for bench/topics.py to compare against."""
    import networkx as nx
    import numpy as np

    n = neighbours.shape[0]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        (i, int(j), float(w)) for i in range(n)
        for j, w in zip(neighbours[i], weights[i]) if w > 0)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed,
                                                   resolution=resolution)
    # number groups by their first member so the labels do not depend on set order
    communities = sorted((sorted(c) for c in communities), key=lambda c: c[0])
    labels = np.zeros(n, dtype=int)
    for c, members in enumerate(communities):
        labels[members] = c
    return labels


def _refine(matrix, labels, rounds: int = 10):
    """Spherical k-means from the graph's partition: each article to its nearest centroid."""
    import numpy as np

    from digest.topics.norms import unit_rows

    for _ in range(rounds):
        groups = sorted(set(labels.tolist()))
        centroids = unit_rows(np.vstack([np.asarray(matrix[labels == g].sum(axis=0)).ravel()
                                         for g in groups]))
        nearest = np.asarray(matrix @ centroids.T).argmax(axis=1)
        moved = np.array(groups)[nearest]
        if (moved == labels).all():
            break
        labels = moved
    # renumber 0..k-1 in order of first appearance
    order = {g: i for i, g in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[g] for g in labels.tolist()])


def _sharpened(matrix, idf):
    """The rows reweighted for a small day: plain idf log(N/df), which gives no weight to
    a word in every article (the +1 of smoothed idf keeps it), and no weight to a word
    only one of the day's articles uses (it links no two articles, it only dilutes)."""
    import numpy as np
    import scipy.sparse as sp

    from digest.topics.norms import unit_rows

    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    weight = (idf - 1.0) * (df >= 2) / idf
    return unit_rows(matrix @ sp.diags(weight)).tocsr()


def _stable_groups(matrix, k: int):
    """A small day's partition: the Louvain resolution at which the groups are most stable
    when each run sees only part of the vocabulary, then the groups most of those runs
    agree on (average linkage on how often two articles were grouped together, cut at
    one half).

    Modularity at resolution 1 tends to merge topics on 20-60 articles; which resolution
    suits a day is not known beforehand, and a partition that holds when some words are
    left out is one the words support (stability-based model selection, Lange et al. 2004;
    cluster ensembles, Strehl and Ghosh 2002).
    """
    import itertools

    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.metrics import adjusted_rand_score

    from digest.topics.norms import unit_rows

    rng = np.random.default_rng(0)
    views = []
    for _ in range(STABILITY_RUNS):
        part = unit_rows(matrix[:, rng.random(matrix.shape[1]) < STABILITY_SHARE])
        views.append((part @ part.T).toarray())
    best = None
    for resolution in RESOLUTIONS:
        runs = [_graph_groups(view, k, resolution, seed) for seed, view in enumerate(views)]
        agreement = float(np.mean([adjusted_rand_score(a, b)
                                   for a, b in itertools.combinations(runs, 2)]))
        # ties keep the lower resolution: fewer, larger groups
        if best is None or agreement > best[0] + 1e-9:
            best = (agreement, resolution, runs)
    _, resolution, runs = best
    runs.append(_graph_groups((matrix @ matrix.T).toarray(), k, resolution))
    together = np.mean([r[:, None] == r[None, :] for r in runs], axis=0)
    distance = 1.0 - together
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), 0.5, "distance")
    return np.asarray(labels) - 1


def cluster(docs: Sequence[_Doc], background: Background | None = None,
            vectors=None) -> list[int]:
    """Group numbers (0, 1, ...) of `docs`, the number of groups chosen by the method."""
    import numpy as np

    n = len(docs)
    if n < 3:
        return [0] * n
    matrix, _, idf = vectors or _vectors(docs, background)
    # a day with as many articles as LSA needs has statistics enough of its own; on the
    # whole BBC set, the history's view made the groups worse, on 40-article days better
    small = n < MIN_HISTORY
    if small:
        matrix = _sharpened(matrix, idf)
    space = background.project(docs) if background is not None and small else None
    if space is not None:
        import scipy.sparse as sp

        from digest.topics.norms import unit_rows

        # the day's own words and the history's view of them, weighted alike
        matrix = unit_rows(sp.hstack([matrix, sp.csr_matrix(space)]).tocsr())
    # (on a small day, an article none of whose words another article uses is empty too)
    empty = np.asarray(matrix.getnnz(axis=1)) == 0
    k = max(2, min(n - 1, math.ceil(math.sqrt(n)), MAX_NEIGHBOURS))
    if small:
        labels = _stable_groups(matrix, k)
    else:
        labels = _communities(*nearest(matrix, k))
    if len(set(labels.tolist())) > 1:
        labels = _refine(matrix, labels)
    if empty.any():
        # articles that share no content word with the others: a group of their own
        labels = labels.copy()
        labels[empty] = labels.max() + 1
    return labels.tolist()

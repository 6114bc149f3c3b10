"""The graphs the shortest-path searches run on, and their pruning to what a request needs.

A search graph holds the travel-time CSR matrix in both directions and, for each direction,
the table that names the edge from a node's tree predecessor to it (see
:func:`gtm_optimizer.network.search.tree_lengths_m`).

Pruning removes dangling trees: a node with at most one neighbour (a dead end) that is
neither a source nor a target cannot lie inside a fastest path, because a path through it
would have to come back the way it came. Removing such nodes over and over strips whole
cul-de-sac networks, about 31 % of the nodes of the Duitama extract, and every search runs
on the smaller graph with the same results.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from gtm_optimizer.network.compact import CompactGraph


@dataclass(frozen=True, eq=False)
class ParentTable:
    """For each node, the nodes that can precede it in a search tree, with edge lengths.

    ``node[v, k]`` is the k-th possible predecessor of ``v`` (-1 past the last one) and
    ``length_m[v, k]`` the length of the fastest edge that joins them.
    """

    node: NDArray[np.int64]
    length_m: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SearchGraph:
    """The fastest edge between each pair of nodes, as CSR matrices in both directions.

    Attributes
    ----------
    start, end, time_s, length_m
        Start node, end node, travel time and length of each edge, ordered by start node
        and then end node.
    forward_csr, reverse_csr
        (n, n) travel times of the graph and of its transpose. Zero travel times are kept
        as stored entries, so they stay edges for scipy.
    forward_parents, reverse_parents
        Predecessor tables of searches on ``forward_csr`` and on ``reverse_csr``.
    neighbours
        (n, n) pattern of the undirected graph: 1 where an edge joins two nodes either way.
    """

    start: NDArray[np.int64]
    end: NDArray[np.int64]
    time_s: NDArray[np.float64]
    length_m: NDArray[np.float64]
    forward_csr: sp.csr_matrix
    reverse_csr: sp.csr_matrix
    forward_parents: ParentTable
    reverse_parents: ParentTable
    neighbours: sp.csr_matrix

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.forward_csr.shape[0])


_GRAPHS: weakref.WeakKeyDictionary[CompactGraph, SearchGraph] = weakref.WeakKeyDictionary()


def search_graph(compact: CompactGraph) -> SearchGraph:
    """Return the search graph of a compact graph, built once per graph object."""
    graph = _GRAPHS.get(compact)
    if graph is None:
        csr = compact.time_csr
        start = np.repeat(np.arange(compact.n_nodes, dtype=np.int64), np.diff(csr.indptr))
        end = csr.indices.astype(np.int64)
        length_m = compact.edge_length_m[compact.csr_edge]
        graph = _graph_from_edges(compact.n_nodes, start, end, csr.data, length_m)
        _GRAPHS[compact] = graph
    return graph


def prune_dangling(
    graph: SearchGraph, needed: NDArray[np.int64]
) -> tuple[SearchGraph, NDArray[np.int64]]:
    """Remove dangling trees that hold none of the ``needed`` nodes.

    Returns the pruned graph and the original index of each of its nodes, ascending; a
    needed node's index in the pruned graph is its position in that array.
    """
    alive = np.ones(graph.n_nodes, dtype=bool)
    protected = np.zeros(graph.n_nodes, dtype=bool)
    protected[needed] = True
    while True:
        degree = graph.neighbours @ alive.astype(np.int32)
        dead_end = alive & ~protected & (degree <= 1)
        if not dead_end.any():
            break
        alive &= ~dead_end

    kept = np.flatnonzero(alive)
    if len(kept) == graph.n_nodes:
        return graph, kept
    new_index = np.cumsum(alive) - 1
    edges = alive[graph.start] & alive[graph.end]
    pruned = _graph_from_edges(
        len(kept),
        new_index[graph.start[edges]],
        new_index[graph.end[edges]],
        graph.time_s[edges],
        graph.length_m[edges],
    )
    return pruned, kept


def _graph_from_edges(
    n: int,
    start: NDArray[np.int64],
    end: NDArray[np.int64],
    time_s: NDArray[np.float64],
    length_m: NDArray[np.float64],
) -> SearchGraph:
    """Build the search graph of edges already ordered by start node, then end node."""
    reverse = np.lexsort((start, end))
    ones = np.ones(2 * len(start), dtype=np.int32)
    either_way = (np.concatenate([start, end]), np.concatenate([end, start]))
    neighbours = sp.csr_matrix((ones, either_way), shape=(n, n))
    # A two-way street adds each pair twice; count it as one neighbour.
    neighbours.data[:] = 1
    return SearchGraph(
        start=start,
        end=end,
        time_s=time_s,
        length_m=length_m,
        forward_csr=_csr_by_hand(n, start, end, time_s),
        reverse_csr=_csr_by_hand(n, end[reverse], start[reverse], time_s[reverse]),
        forward_parents=_parent_table(end, start, length_m, n),
        reverse_parents=_parent_table(start, end, length_m, n),
        neighbours=neighbours,
    )


def _csr_by_hand(
    n: int, rows: NDArray[np.int64], cols: NDArray[np.int64], data: NDArray[np.float64]
) -> sp.csr_matrix:
    """Build a CSR matrix from entries sorted by row; scipy's constructors may drop zeros."""
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    return sp.csr_matrix((data, cols, indptr), shape=(n, n))


def _parent_table(
    child: NDArray[np.int64], parent: NDArray[np.int64], length_m: NDArray[np.float64], n: int
) -> ParentTable:
    """Tabulate, for each node, the nodes that can precede it and the joining edge lengths."""
    count = np.bincount(child, minlength=n)
    width = int(count.max()) if len(child) else 0
    order = np.argsort(child, kind="stable")
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    rank = np.arange(len(order)) - first[child[order]]

    node = np.full((n, width), -1, dtype=np.int64)
    table_m = np.zeros((n, width))
    node[child[order], rank] = parent[order]
    table_m[child[order], rank] = length_m[order]
    return ParentTable(node=node, length_m=table_m)

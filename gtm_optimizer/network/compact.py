"""An array form of the road graph for scipy's sparse shortest-path routines.

Nodes are numbered 0..n-1 in ascending OSM id order. Parallel edges between two nodes are
collapsed to the fastest one in the CSR matrix, and every stored entry remembers which graph
edge it stands for so lengths and geometries can be recovered.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import breadth_first_order, connected_components


@dataclass(frozen=True, eq=False)
class CompactGraph:
    """The road graph as numpy arrays and a CSR matrix of travel times.

    Attributes
    ----------
    node_ids
        OSM id of each node index, ascending.
    node_lon, node_lat
        Coordinates of each node index, in degrees.
    edge_u, edge_v, edge_key
        Start and end node index and multigraph key of every directed edge.
    edge_length_m, edge_time_s
        Length and vehicle travel time of every directed edge.
    time_csr
        (n, n) CSR matrix of the fastest edge's travel time in seconds between two nodes.
    csr_edge
        For each stored entry of ``time_csr`` (in ``data`` order), the index of that edge.
    csr_code
        For each stored entry, ``u * n + v``; ascending, so a node pair can be looked up
        with :func:`numpy.searchsorted`.
    main_mask
        True for the nodes of the largest strongly connected component.
    reach_from_main, reach_to_main
        True for nodes that can be reached from, or can reach, the main component.
    weak_label
        Weakly connected component of each node; ``main_weak_label`` is the main one's.
    """

    node_ids: NDArray[np.int64]
    node_lon: NDArray[np.float64]
    node_lat: NDArray[np.float64]
    edge_u: NDArray[np.int64]
    edge_v: NDArray[np.int64]
    edge_key: NDArray[np.int64]
    edge_length_m: NDArray[np.float64]
    edge_time_s: NDArray[np.float64]
    time_csr: sp.csr_matrix
    csr_edge: NDArray[np.int64]
    csr_code: NDArray[np.int64]
    main_mask: NDArray[np.bool_]
    reach_from_main: NDArray[np.bool_]
    reach_to_main: NDArray[np.bool_]
    weak_label: NDArray[np.int64]
    main_weak_label: int

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    def node_index(self, osm_ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the node index of each OSM node id (all must be in the graph)."""
        return np.searchsorted(self.node_ids, osm_ids).astype(np.int64)

    def pair_edge(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the fastest edge index from node index ``u`` to ``v``, elementwise."""
        position = np.searchsorted(self.csr_code, u * self.n_nodes + v)
        return self.csr_edge[position]


def compact_graph(graph: nx.MultiDiGraph) -> CompactGraph:
    """Convert a road graph with ``travel_time`` and ``length`` edges to its array form."""
    node_ids = np.array(sorted(graph.nodes), dtype=np.int64)
    node_lon = np.array([graph.nodes[node]["x"] for node in node_ids], dtype=np.float64)
    node_lat = np.array([graph.nodes[node]["y"] for node in node_ids], dtype=np.float64)

    rows = list(graph.edges(keys=True, data=True))
    edge_u = np.searchsorted(node_ids, np.array([row[0] for row in rows], dtype=np.int64))
    edge_v = np.searchsorted(node_ids, np.array([row[1] for row in rows], dtype=np.int64))
    edge_key = np.array([row[2] for row in rows], dtype=np.int64)
    edge_length_m = np.array([float(row[3]["length"]) for row in rows], dtype=np.float64)
    edge_time_s = np.array([float(row[3]["travel_time"]) for row in rows], dtype=np.float64)

    n = len(node_ids)
    code = edge_u * n + edge_v
    order = np.lexsort((edge_time_s, code))
    _, first = np.unique(code[order], return_index=True)
    fastest = order[first]
    # The fastest edges are ordered by u, then v, which is the CSR storage order. Building the
    # matrix by hand from them keeps zero travel times stored as edges.
    indptr = np.concatenate([[0], np.cumsum(np.bincount(edge_u[fastest], minlength=n))])
    time_csr = sp.csr_matrix((edge_time_s[fastest], edge_v[fastest], indptr), shape=(n, n))
    csr_edge = fastest.astype(np.int64)
    csr_code = code[fastest].astype(np.int64)

    main_mask, reach_from, reach_to, weak_label, main_weak = _components(time_csr)
    return CompactGraph(
        node_ids=node_ids,
        node_lon=node_lon,
        node_lat=node_lat,
        edge_u=edge_u.astype(np.int64),
        edge_v=edge_v.astype(np.int64),
        edge_key=edge_key,
        edge_length_m=edge_length_m,
        edge_time_s=edge_time_s,
        time_csr=time_csr,
        csr_edge=csr_edge,
        csr_code=csr_code,
        main_mask=main_mask,
        reach_from_main=reach_from,
        reach_to_main=reach_to,
        weak_label=weak_label,
        main_weak_label=main_weak,
    )


def _components(
    time_csr: sp.csr_matrix,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int64], int]:
    """Find the largest strongly connected component and what reaches it or is reached."""
    n = time_csr.shape[0]
    _, strong = connected_components(time_csr, directed=True, connection="strong")
    main_label = int(np.argmax(np.bincount(strong)))
    main_mask = strong == main_label
    start = int(np.flatnonzero(main_mask)[0])

    reach_from = np.zeros(n, dtype=bool)
    reach_from[breadth_first_order(time_csr, start, directed=True, return_predecessors=False)] = (
        True
    )
    reach_to = np.zeros(n, dtype=bool)
    reverse = time_csr.transpose().tocsr()
    reach_to[breadth_first_order(reverse, start, directed=True, return_predecessors=False)] = True

    _, weak = connected_components(time_csr, directed=True, connection="weak")
    return main_mask, reach_from, reach_to, weak.astype(np.int64), int(weak[start])

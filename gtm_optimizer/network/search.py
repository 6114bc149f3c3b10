"""Shortest-path tables between sets of road nodes, computed in worker processes.

Each request is for the fastest travel times from some source nodes to some target nodes,
and the lengths of those fastest paths. Sources are searched in chunks with
:func:`scipy.sparse.csgraph.dijkstra`. The length of each fastest path is summed over the
predecessor tree by pointer doubling, so no Python loop runs per node, only per source.

scipy's ``dijkstra`` holds the GIL while it searches (measured with scipy 1.17: a Python
thread gets about 4 % of its usual share during a call), so threads cannot run two searches
at once. Chunks therefore go to a pool of forked worker processes when there is enough work.

A *reverse* request searches the transposed graph from the targets: the cheaper direction
when a few targets (territory centres) face many sources. Both directions return tables of
shape (sources, targets).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from gtm_optimizer.i18n import _
from gtm_optimizer.network.compact import CompactGraph
from gtm_optimizer.network.search_graph import (
    ParentTable,
    SearchGraph,
    prune_dangling,
    search_graph,
)

logger = logging.getLogger(__name__)

#: Below this many source nodes in total, all searches run in the calling process: starting
#: worker processes (about 40 ms measured) would cost more than it saves.
MIN_PARALLEL_SOURCES = 256

_CHUNKS_PER_WORKER = 4

Table = tuple[NDArray[np.float32], NDArray[np.float32]]


@dataclass(frozen=True, eq=False)
class TableRequest:
    """A request for the node-to-node tables from ``sources`` to ``targets``.

    Attributes
    ----------
    sources, targets
        Compact node indices, each unique.
    reverse
        Search backwards from the targets instead of forwards from the sources.
    """

    sources: NDArray[np.int64]
    targets: NDArray[np.int64]
    reverse: bool = False


# The graph a worker process searches, set once by the pool's initializer.
_WORKER_GRAPH: list[SearchGraph] = []


def check_parallel_settings(n_jobs: int, chunk_size: int) -> int:
    """Return the number of workers that ``n_jobs`` requests.

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0 or below -1, or ``chunk_size`` is not positive.
    """
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs is {n_jobs!r}; use -1 for every core or a positive count")
    if chunk_size < 1:
        raise ValueError(f"chunk_size is {chunk_size!r}; use a positive number such as 256")
    if n_jobs > 0:
        return n_jobs
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def node_to_node(
    compact: CompactGraph,
    sources: NDArray[np.int64],
    targets: NDArray[np.int64],
    *,
    workers: int = 1,
    chunk_size: int = 256,
    reverse: bool = False,
) -> Table:
    """Return fastest travel times and their path lengths from each source to each target.

    Both float32 tables have shape ``(len(sources), len(targets))``; unreachable pairs are
    ``inf`` in both.
    """
    request = TableRequest(np.asarray(sources), np.asarray(targets), reverse)
    ((times_s, lengths_m),) = node_tables(
        compact, [request], workers=workers, chunk_size=chunk_size
    )
    return times_s, lengths_m


def node_tables(
    compact: CompactGraph,
    requests: Sequence[TableRequest],
    *,
    workers: int,
    chunk_size: int,
) -> Iterator[Table]:
    """Yield the (times, lengths) tables of each request, in request order.

    The searches run on the graph pruned of dangling trees that hold no source or target
    (:func:`~gtm_optimizer.network.search_graph.prune_dangling`). The chunks of every request
    go to one pool of worker processes when ``workers`` is above 1, there are at least
    :data:`MIN_PARALLEL_SOURCES` source nodes in total and the ``fork`` start method exists.
    The caller can then work on a finished table while later ones are still being searched.
    """
    graph, requests = _pruned(compact, requests)
    searched = sum(len(_searched_nodes(request)) for request in requests)
    chunk = chunk_size
    if workers > 1:
        # About four chunks per worker, so a worker slowed by other load does not leave the
        # rest idle at the end.
        chunk = max(1, min(chunk_size, math.ceil(searched / (_CHUNKS_PER_WORKER * workers))))
    tasks = [
        (_searched_nodes(request)[start : start + chunk], _other_nodes(request), request.reverse)
        for request in requests
        for start in range(0, len(_searched_nodes(request)), chunk)
    ]

    n_processes = 1
    if workers > 1 and searched >= MIN_PARALLEL_SOURCES and _can_fork():
        n_processes = min(workers, len(tasks))
    logger.debug(
        _(
            "Searching from {nodes} road nodes in {chunks} chunks on {processes} process(es)"
        ).format(nodes=searched, chunks=len(tasks), processes=n_processes)
    )
    if n_processes > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(n_processes, context, _set_worker_graph, (graph,)) as pool:
            yield from _assemble(requests, chunk, _pool_results(pool, tasks))
    else:
        yield from _assemble(requests, chunk, (_search(graph, *task) for task in tasks))


def _pruned(
    compact: CompactGraph, requests: Sequence[TableRequest]
) -> tuple[SearchGraph, list[TableRequest]]:
    """Return the graph pruned to the requests' nodes and the requests in its numbering."""
    needed = [np.concatenate([r.sources, r.targets]) for r in requests]
    needed_nodes = np.unique(np.concatenate(needed)) if needed else np.zeros(0, np.int64)
    graph, kept = prune_dangling(search_graph(compact), needed_nodes.astype(np.int64))
    local = [
        TableRequest(np.searchsorted(kept, r.sources), np.searchsorted(kept, r.targets), r.reverse)
        for r in requests
    ]
    return graph, local


def _searched_nodes(request: TableRequest) -> NDArray[np.int64]:
    return request.targets if request.reverse else request.sources


def _other_nodes(request: TableRequest) -> NDArray[np.int64]:
    return request.sources if request.reverse else request.targets


def _can_fork() -> bool:
    # NOTE: without the fork start method (Windows) every search runs in the calling process.
    # Forking copies only the calling thread, so a lock another thread holds at that moment
    # stays locked in the workers. They run only scipy's dijkstra and numpy array code, with
    # no logging or file access.
    return "fork" in multiprocessing.get_all_start_methods()


def _pool_results(
    pool: Executor, tasks: list[tuple[NDArray[np.int64], NDArray[np.int64], bool]]
) -> Iterator[Table]:
    return pool.map(_search_in_worker, *zip(*tasks, strict=True))


def _assemble(
    requests: Sequence[TableRequest], chunk: int, results: Iterable[Table]
) -> Iterator[Table]:
    """Stack the chunk results of each request into its tables, in request order."""
    remaining = iter(results)
    for request in requests:
        searched = _searched_nodes(request)
        shape = (len(searched), len(_other_nodes(request)))
        times = np.empty(shape, dtype=np.float32)
        lengths = np.empty(shape, dtype=np.float32)
        for start in range(0, len(searched), chunk):
            chunk_s, chunk_m = next(remaining)
            times[start : start + len(chunk_s)] = chunk_s
            lengths[start : start + len(chunk_s)] = chunk_m
        if request.reverse:
            yield np.ascontiguousarray(times.T), np.ascontiguousarray(lengths.T)
        else:
            yield times, lengths


def _set_worker_graph(graph: SearchGraph) -> None:
    _WORKER_GRAPH[:] = [graph]


def _search_in_worker(
    searched: NDArray[np.int64], other: NDArray[np.int64], reverse: bool
) -> Table:
    return _search(_WORKER_GRAPH[0], searched, other, reverse)


def _search(
    graph: SearchGraph, searched: NDArray[np.int64], other: NDArray[np.int64], reverse: bool
) -> Table:
    """Search from the ``searched`` nodes; return times and lengths to the ``other`` nodes."""
    csr = graph.reverse_csr if reverse else graph.forward_csr
    parents = graph.reverse_parents if reverse else graph.forward_parents
    times_s, predecessors = dijkstra(
        csr, directed=True, indices=searched, return_predecessors=True
    )
    lengths_m = tree_lengths_m(parents, predecessors)
    times_s = times_s[:, other]
    lengths_m = np.where(np.isfinite(times_s), lengths_m[:, other], np.inf)
    return times_s.astype(np.float32), lengths_m.astype(np.float32)


def tree_lengths_m(parents: ParentTable, predecessors: NDArray[np.int32]) -> NDArray[np.float64]:
    """Sum edge lengths from each shortest-path tree root to every node, by pointer doubling.

    Each round adds to every node the length accumulated by the node its pointer names, then
    moves the pointer twice as far up the tree, so a tree of depth d takes log2(d) rounds of
    vectorised work. Trees are doubled one row at a time: a row's arrays stay in the
    processor cache, which measured 1.6 times faster than doubling all rows at once.
    """
    parent_m = _parent_lengths_m(parents, predecessors)
    lengths_m = np.empty(predecessors.shape)
    for row in range(len(predecessors)):
        lengths_m[row] = _doubled_lengths_m(parent_m[row], predecessors[row])
    return lengths_m


def _doubled_lengths_m(
    parent_m: NDArray[np.float64], predecessors: NDArray[np.int32]
) -> NDArray[np.float64]:
    """Return root-to-node lengths of one tree given each node's parent edge length.

    The extra last entry is a sentinel of length 0: roots and unreachable nodes point at
    it, and so does it.
    """
    n = len(predecessors)
    length_m = np.zeros(n + 1)
    length_m[:n] = parent_m
    pointer = np.full(n + 1, n, dtype=np.intp)
    has_parent = predecessors >= 0
    pointer[:n][has_parent] = predecessors[has_parent]
    while (pointer != n).any():
        length_m += length_m[pointer]
        pointer = pointer[pointer]
    return length_m[:n]


def _parent_lengths_m(
    parents: ParentTable, predecessors: NDArray[np.int32]
) -> NDArray[np.float64]:
    """Return the length of the edge from each node's tree predecessor to it (0 at roots)."""
    length_m = np.zeros(predecessors.shape)
    # Exactly one column of a node's row names its predecessor; padding (-1) and scipy's
    # "no predecessor" code (-9999) never match.
    for k in range(parents.node.shape[1]):
        match = predecessors == parents.node[:, k]
        np.copyto(length_m, parents.length_m[:, k], where=match)
    return length_m

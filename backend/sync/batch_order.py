"""The order in which the store applies a batch: referenced documents before the documents
that reference them, so a reference to a document later in the same batch is satisfied."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence

from backend.sync.prepare import Incoming


def dependency_order(prepared: Sequence[object],
                     needs: Callable[[Incoming], Collection[str]]) -> list[int]:
    """Batch positions, each after the positions of the documents it needs, otherwise as sent.
    A tablet pushes in its local edit order, not in reference order: a visit recorded before
    the person's latest edit comes first. Revisions of one document keep their order (a
    replicated batch may carry a revision and its child); a reference cycle is applied as sent
    (and refused)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(prepared):
        if isinstance(item, Incoming):
            positions[item.id].append(index)

    def ready(index: int) -> bool:
        """Not yet visited, and every earlier revision of the same document placed."""
        item = prepared[index]
        return index not in state and all(
            state.get(j) is True for j in positions[item.id] if j < index)

    def deps(index: int) -> Iterator[int]:
        item = prepared[index]
        needed = needs(item) if isinstance(item, Incoming) else ()
        return iter([j for doc_id in needed for j in positions.get(doc_id, ()) if j != index])

    order: list[int] = []
    state: dict[int, bool] = {}   # False: on the path being visited, True: placed
    for root in range(len(prepared)):
        if root in state:
            continue
        state[root], stack = False, [(root, deps(root))]
        while stack:
            node, pending = stack[-1]
            dep = next(pending, None)
            if dep is None:
                stack.pop()
                state[node] = True
                order.append(node)
            elif ready(dep):
                state[dep] = False
                stack.append((dep, deps(dep)))
    return order

"""Rolling regions up for roll-up tables (pure: region ids and parents in, groups out).

Audits remember the region the store was in (the snapshot), which is usually a leaf such as a
city cluster. Comparisons show one level at a time: the top regions of the brand, or, once HQ
has drilled into a region, that region's children — each with everything nested below it.
Because every figure the tables show is built from sums, rolling leaf rows up is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionNode:
    id: int
    parent_id: int | None
    code: str
    name: str


def _parents(regions: Iterable[RegionNode]) -> dict[int, int | None]:
    return {region.id: region.parent_id for region in regions}


def ancestors(regions: Iterable[RegionNode], region_id: int) -> list[int]:
    """The chain of regions from the top down to ``region_id`` (included)."""
    parents = _parents(regions)
    path: list[int] = []
    current: int | None = region_id
    while current is not None and current not in path:  # `not in path`: never loop on bad data
        path.append(current)
        current = parents.get(current)
    return list(reversed(path))


def display_group(regions: Iterable[RegionNode], focus: int | None) -> dict[int | None, int | None]:
    """Where each region's rows are shown when looking at ``focus`` (None: the whole brand).

    Maps a region id to the id of the row it rolls up into: the child of ``focus`` it lies in,
    or ``focus`` itself for rows recorded directly on the focused region. Without a focus, rows
    roll up to the top-level regions. Rows with no region stay apart under None. Regions outside
    the focus are left out (the filters have excluded their audits already).
    """
    regions = list(regions)
    groups: dict[int | None, int | None] = {None: None}
    for region in regions:
        path = ancestors(regions, region.id)
        if focus is None:
            groups[region.id] = path[0]
        elif focus in path:
            below = path[path.index(focus) + 1 :]
            groups[region.id] = below[0] if below else focus
    return groups

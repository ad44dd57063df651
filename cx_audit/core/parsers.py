"""The API's JSON parser: DRF's, refusing documents nested deeper than any real request.

No request of this API nests more than a few levels (an audit's answers: a list of objects). A
body nested thousands of levels deep made Python's decoder raise RecursionError, a 500; it is now a
400 naming the limit, and so is anything deeper than `MAX_DEPTH`, so the views never meet one.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def nesting_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in a decoded JSON value (a scalar is 0), counted without
    recursion and stopping as soon as ``limit`` is passed (the answer is then ``limit + 1``)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        if depth > limit:
            return depth
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON bodies nested at most `MAX_DEPTH` levels; deeper is a 400, never a RecursionError."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = ParseError(f"JSON parse error - nested more than {self.max_depth} levels deep.")
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if nesting_depth(data, self.max_depth) > self.max_depth:
            raise too_deep
        return data

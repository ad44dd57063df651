"""The OpenAPI document says which errors each operation can answer (issue 12, finding 12).

DRF answers 400 (bad input, naming the field), 401 (no or bad token), 403 (a write the role may
not make), 404 (someone else's object, or none), 409 (a state that forbids the change) and 429
(throttled) from shared code paths, so per-view ``@extend_schema`` lists would repeat the same
six lines on ~100 operations and drift. This drf-spectacular post-processing hook adds the
ones an operation can meet, unless the view documented its own.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "ErrorResponse"
UNSAFE = {"post", "put", "patch", "delete"}
DESCRIPTIONS = {
    "400": "Bad input: each field (or `detail`, `non_field_errors`) with its messages.",
    "401": "Not signed in, or the token is invalid or expired.",
    "403": "Signed in, but the role may not do this.",
    "404": "No such object, or one you cannot see.",
    "409": "The object's state forbids the change (the field says why), or it is still referenced.",
    "429": "Too many requests: wait for the Retry-After header's seconds.",
}


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "403", "429", "400"]  # 400: every endpoint reads ?format= (an unknown one is bad input)
    paged = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
    if "{" in path or method in UNSAFE or paged:  # a page past the end is "Invalid page", 404
        codes.append("404")
    if method in UNSAFE:
        codes.append("409")
    return codes


OPTIONAL = "x-optional"  # on a property: read-only, but not in every answer (see drop_optional)


def drop_optional(schemas: dict[str, Any]) -> None:
    """drf-spectacular lists every read-only field as required; a field marked ``x-optional``
    (e.g. ``distance_km``, only with ``near=``) is not."""
    for component in schemas.values():
        properties = component.get("properties", {})
        optional = {name for name, prop in properties.items() if prop.pop(OPTIONAL, False)}
        if optional and "required" in component:
            component["required"] = [name for name in component["required"] if name not in optional]


def allow_empty_values(operation: dict[str, Any]) -> None:
    """An optional query parameter sent empty (``?status=``, ``?page=``) is read as left out, as
    django-filter and the paginators do for every list, HTML forms send it so: say so."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and not parameter.get("required"):
            parameter["allowEmptyValue"] = True


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Add the shared error answers to every operation that does not document them itself."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    drop_optional(schemas)
    schemas[ERROR_SCHEMA] = {
        "type": "object",
        "description": "An error: `detail` (a message), or each field with a list of messages.",
        "additionalProperties": True,
    }
    reference = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            allow_empty_values(operation)
            responses = operation["responses"]
            for code in _codes(path, method, operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code], "content": reference})
    return result

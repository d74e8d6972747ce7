"""The OpenAPI schema's account of errors: every operation lists the error answers it can give, each a JSON
`Error`, so a client (and schemathesis) can rely on the schema for every status code."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages by field, for a request with mistakes in named fields.",
        },
    },
    "required": ["detail"],
}

COMMON = {
    "400": "The request has a mistake: `detail` and `errors` say which.",
    "401": "No credentials, or a token that is not valid.",
    "403": "You may not do this.",
    "404": "Nothing you may read at this address.",
    "406": "The API answers JSON only.",
}
WRITES = {
    "409": None,
    "412": None,
    "415": "Send JSON (or a form).",
    "428": "Send the version you read, in `version` or If-Match.",
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: an `Error` component and the error answers of each operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            extra = dict(COMMON)
            if method != "get":
                extra.update({code: text for code, text in WRITES.items() if text})
            for code, description in extra.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The personal token in the schema, so the docs offer to send it."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from the API tokens page, sent as `Token <token>`.",
        }

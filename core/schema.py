"""The OpenAPI schema's conventions, applied to every operation in one place.

drf-spectacular describes each view from its serializers and its
``extend_schema``; what every operation shares is added here rather than
repeated in each view: tags named after the resource, operationIds that read
as actions, the error answers each operation can give (all in the one error
shape of ``core.api_errors``) and the rate-limit headers every answer carries.
A view's own description of a status wins over the shared one; what its
error body adds to the one shape is combined with it (``allOf``).
"""

from __future__ import annotations

import inspect

from drf_spectacular.openapi import AutoSchema

from .schema_glossary import DESCRIPTIONS

ERROR = "Error"
ERROR_REF = {"$ref": "#/components/schemas/%s" % ERROR}

# Each error code the API sends, as the ``code`` of its body: DRF's own and
# those of the platform's refusals (tests/contract checks that every
# refusal's code is here).
ERROR_CODES = [
    "invalid",
    "parse_error",
    "not_authenticated",
    "authentication_failed",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "unsupported_media_type",
    "conflict",
    "likely_duplicate",
    "month_locked",
    "precondition_failed",
    "throttled",
    "server_error",
    "bad_request",
]

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every error under /api/ has this shape, whatever its status: a code "
        "for programs, a sentence for people (in the language asked for), and "
        "for refused input each field's problems."
    ),
    "properties": {
        "code": {
            "type": "string",
            "enum": ERROR_CODES,
            "description": "What went wrong, for programs: stable across languages.",
        },
        "detail": {
            "type": "string",
            "description": "What went wrong and what to do, for people.",
        },
        "errors": {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "object"},
                ]
            },
            "description": (
                "For refused input (400) and conflicts (409): each field or "
                "parameter named, with its problems; `non_field_errors` for "
                "those of the whole request. A list's items are named by their "
                'place from 0: `{"services": {"0": {"service": [...]}}}`.'
            ),
        },
        "id": {
            "type": "integer",
            "description": (
                "On a 409: the id of the record already stored under the UUID, "
                "when the caller may see it."
            ),
        },
    },
    "required": ["code", "detail"],
    "example": {
        "code": "invalid",
        "detail": "Dữ liệu gửi lên chưa hợp lệ.",
        "errors": {"date_from": ["Ngày bắt đầu sau ngày kết thúc."]},
    },
}

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": (
        "Requests the key or account may make in the current window (a minute)."
    ),
    "X-RateLimit-Remaining": "Requests left in the current window.",
    "X-RateLimit-Reset": "Seconds until the window ends and the budget is whole again.",
}

# When an operation can give each error, and what it means there.
ERRORS = {
    "400": "The request was refused: each bad field or parameter is named.",
    "401": (
        "No credentials, or an unknown, expired or switched-off key: "
        "see WWW-Authenticate."
    ),
    "403": "The caller may not do this.",
    "404": "Nothing with this id or code within the caller's scope.",
    "406": "None of the types in Accept can be answered.",
    "409": (
        "The client_uuid is already stored with other content (code "
        "conflict), or the record is dated in a month whose report was "
        "approved, so it is locked (code month_locked)."
    ),
    "412": "The record changed since the version named in If-Match.",
    "414": (
        "The address is longer than the server takes (about 4 KB): ask for "
        "less at once. Answered by the web server in front of the platform."
    ),
    "415": "The body is not JSON.",
    "429": "Too many requests in this window: wait Retry-After seconds.",
}


# Records dated in a month that an approved report locks: a change is a 409.
LOCKED_BY_MONTH = ("/sessions/", "/workshops/")


def _errors_of(method: str, path: str, operation: dict) -> list[str]:
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    writes = method in ("post", "put", "patch")
    codes = ["401", "403", "406", "429"]
    if has_query or writes:
        codes.append("400")
    if "{" in path or "404" in operation["responses"]:
        codes.append("404")
    if writes:
        codes.append("415")
    if method == "post" and "201" in operation["responses"]:
        codes.append("409")
    if method in ("put", "patch"):
        codes.append("412")
        if any(part in path for part in LOCKED_BY_MONTH):
            codes.append("409")
    return sorted(codes)


def _headers(status: str) -> dict:
    headers = {
        name: {"schema": {"type": "integer"}, "description": description}
        for name, description in RATE_LIMIT_HEADERS.items()
    }
    if status == "429":
        headers["Retry-After"] = {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before the next request.",
        }
    if status == "401":
        headers["WWW-Authenticate"] = {
            "schema": {"type": "string"},
            "description": "How to authenticate: the X-Api-Key header or a session.",
        }
    return headers


def _describe(schemas: dict) -> None:
    """Give each property without a description the glossary's, by its name."""
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            if "description" in prop or name not in DESCRIPTIONS:
                continue
            if "$ref" in prop:  # a reference takes no siblings: wrap it
                prop["allOf"] = [{"$ref": prop.pop("$ref")}]
            prop["description"] = str(DESCRIPTIONS[name])


# What a value of each format looks like in an example.
SAMPLES = {
    "date": "2026-11-30",
    "date-time": "2026-11-30T09:30:00+07:00",
    "uuid": "3f0c8a52-5f4e-4b8e-9a57-2d1c7e0b6a11",
    "uri": "https://example.gov.vn/api/v1/sessions/?cursor=cD0xMjM%3D",
    "binary": None,
}


def example_of(spec: dict, schemas: dict, depth: int = 0):
    """A plausible value for ``spec``, built from the schema itself: its own
    example, the first of its choices, or a value of its type and format."""
    if "example" in spec:
        return spec["example"]
    if "$ref" in spec:
        return example_of(schemas[spec["$ref"].rsplit("/", 1)[1]], schemas, depth)
    for combined in ("allOf", "oneOf", "anyOf"):
        if spec.get(combined):
            return example_of(spec[combined][0], schemas, depth)
    if spec.get("enum"):
        return next((v for v in spec["enum"] if v not in ("", None)), None)
    kind = spec.get("type", "object")
    if kind == "object":
        if depth > 4:
            return {}
        return {
            name: example_of(prop, schemas, depth + 1)
            for name, prop in spec.get("properties", {}).items()
        }
    if kind == "array":
        return [example_of(spec.get("items", {}), schemas, depth + 1)]
    if kind == "integer":
        return max(spec.get("minimum", 1), 1)
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return False
    return SAMPLES.get(spec.get("format"), "…")


def _exemplify(operation: dict, schemas: dict) -> None:
    """Each request body and each 2xx JSON answer shows an example."""
    bodies = [operation.get("requestBody", {}).get("content", {})]
    bodies += [
        response.get("content", {})
        for status, response in operation["responses"].items()
        if status.startswith("2")
    ]
    for content in bodies:
        for media_type, body in content.items():
            shown = "example" in body or "examples" in body
            if "json" in media_type and "schema" in body and not shown:
                body["example"] = example_of(body["schema"], schemas)


def _error(declared: dict) -> dict:
    """The one error shape, with what a view declares its error adds to it
    (a likely duplicate's candidates)."""
    added = declared.get("content", {}).get("application/json", {}).get("schema")
    if not added or added == ERROR_REF:
        return ERROR_REF
    return {"allOf": [ERROR_REF, added]}


def errors_and_limits(result, generator, request, public):
    """Postprocessing hook: the shared error answers and rate-limit headers,
    and the glossary's descriptions where a property has none."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR] = ERROR_SCHEMA
    _describe(schemas)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    name = parameter["name"]
                    parameter["description"] = str(DESCRIPTIONS.get(name, ""))
            _exemplify(operation, schemas)
            for status in _errors_of(method, path, operation):
                declared = responses.setdefault(status, {"description": ERRORS[status]})
                declared["content"] = {"application/json": {"schema": _error(declared)}}
            if method == "get":
                responses.setdefault("414", {"description": ERRORS["414"]})
            for status, response in responses.items():
                if status == "414":  # the web server's answer, not the API's
                    continue
                response.setdefault("headers", {}).update(
                    {
                        k: v
                        for k, v in _headers(status).items()
                        if k not in response.get("headers", {})
                    }
                )
    return result


class ApiSchema(AutoSchema):
    """Tags after the resource, operationIds as actions (``listSessions``)."""

    ACTIONS = {
        "post": "create",
        "put": "replace",
        "patch": "update",
        "delete": "delete",
    }

    def _map_basic_serializer(self, serializer, direction):
        # A serializer's description is its own docstring, if it has one; a
        # docstring inherited from a mixin speaks to developers, not clients.
        schema = super()._map_basic_serializer(serializer, direction)
        cls = serializer if isinstance(serializer, type) else type(serializer)
        own = cls.__dict__.get("__doc__")
        if own:
            schema["description"] = inspect.cleandoc(own).split("\n\n")[0]
        else:
            schema.pop("description", None)
        return schema

    def _resource(self) -> list[str]:
        words = [t for t in self._tokenize_path() if t != "v1"]
        return [w.replace("-", "_") for w in words]

    def get_tags(self) -> list[str]:
        words = self._resource()
        return words[:1] or ["api"]

    def get_operation_id(self) -> str:
        words = self._resource()
        method = self.method.lower()
        listing = method == "get" and self._is_list_view()
        if method == "get":
            action = "list" if listing else "get"
        else:
            action = self.ACTIONS[method]
        if words and (method == "post" or (not listing and "{" in self.path)):
            words[-1] = words[-1].removesuffix("s")  # one session, not sessions
        return action + "".join(word.title().replace("_", "") for word in words)


def api_only(endpoints):
    """Preprocessing hook: the schema describes the API, not itself."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

"""The schema a client generates its code from: complete and consistent.

Every property and parameter says what it means; every operation has a tag
after its resource, an operationId that reads as an action, a summary, its
error answers in the one error shape, and the rate-limit headers on every
answer.
"""

import re

import pytest
from django.urls import reverse

ERROR_REF = "#/components/schemas/Error"
ACTION = re.compile(r"^(list|get|create|replace|update|delete)[A-Z][A-Za-z]+$")
# Tags named after their resource where the path abbreviates it.
RESOURCE = {"statistics": "stats", "accounts": "me"}
RATE_LIMIT = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_property_says_what_it_means(schema):
    missing = [
        "%s.%s" % (name, prop)
        for name, component in schema["components"]["schemas"].items()
        for prop, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert missing == []


def test_every_parameter_says_what_it_means(schema):
    missing = [
        "%s %s %s" % (method, path, parameter["name"])
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert missing == []


def test_operations_read_as_actions_on_their_resource(schema):
    ids = []
    for path, method, operation in operations(schema):
        assert ACTION.match(operation["operationId"]), operation["operationId"]
        assert operation.get("summary"), (method, path)
        (tag,) = operation["tags"]
        assert RESOURCE.get(tag, tag) == path.split("/")[3], (tag, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"401", "403", "429"}
        queried = any(p["in"] == "query" for p in operation.get("parameters", []))
        if method in ("post", "put", "patch") or queried:
            expected.add("400")
        if "{" in path:
            expected.add("404")
        if method in ("put", "patch"):
            expected.add("412")
        if method == "post" and "201" in responses:
            expected.add("409")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            content = responses[status]["content"]["application/json"]
            shape = content["schema"].get("allOf", [content["schema"]])[0]
            assert shape == {"$ref": ERROR_REF}, (method, path, status)


def api_exceptions(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from api_exceptions(subclass)


def test_every_code_the_api_answers_is_in_the_schema(schema):
    """A client may switch on ``code``: each refusal the platform or DRF
    raises names a code the schema lists, or a client's validator rejects
    the answer (a likely duplicate's 409 once did). The views, and so their
    refusals, are loaded by the time the schema is read."""
    from rest_framework.exceptions import APIException

    listed = set(schema["components"]["schemas"]["Error"]["properties"]["code"]["enum"])
    raised = {exc.default_code for exc in api_exceptions(APIException)}
    assert raised - listed == set()
    assert {"likely_duplicate", "month_locked", "conflict"} <= listed


def test_a_likely_duplicate_documents_its_candidates(schema):
    answer = schema["paths"]["/api/v1/households/"]["post"]["responses"]["409"]
    ref, added = answer["content"]["application/json"]["schema"]["allOf"]
    assert ref == {"$ref": ERROR_REF}
    component = schema["components"]["schemas"][added["$ref"].rsplit("/", 1)[1]]
    assert "candidates" in component["properties"]
    assert "candidates" not in component.get("required", [])


def test_every_answer_documents_the_rate_limit_headers(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status == "414":  # answered by the web server in front
                continue
            assert set(response.get("headers", {})) >= RATE_LIMIT, (
                method,
                path,
                status,
            )
        assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_the_schema_describes_the_api_only(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_requests_and_answers_show_examples(schema):
    for path, method, operation in operations(schema):
        bodies = list(operation.get("requestBody", {}).get("content", {}).values())
        bodies += [
            content
            for status, response in operation["responses"].items()
            if status.startswith("2")
            for media_type, content in response.get("content", {}).items()
            if "json" in media_type
        ]
        for body in bodies:
            assert "example" in body or body.get("examples"), (method, path)


def test_the_statistics_state_the_rules_the_schema_cannot(schema):
    for path in (
        "/api/v1/stats/",
        "/api/v1/stats/summary/",
        "/api/v1/stats/training/",
        "/api/v1/stats/coverage/",
    ):
        description = schema["paths"][path]["get"]["description"]
        for rule in ("takes no `code`", "at most 366 days", "2000-01-01"):
            assert rule in description, (path, rule)

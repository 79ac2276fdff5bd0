"""Every refusal of every API endpoint: one shape, in the reader's language.

A battery of bad requests (wrong types, missing fields, unknown choices, bad
days, unknown ids, bad paging, wrong methods and media types, broken JSON,
refused keys and roles, conflicts, stale versions, an exhausted budget) is
sent in Vietnamese, the platform's default, and in English: each answer is
JSON in the one error shape, states the caller's budget, and says nothing in
the other language.
"""

import datetime
import json
import re
import uuid

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from core.schema import ERROR_CODES
from tests.assistance.factories import MembershipFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

CODES = set(ERROR_CODES)  # the codes the schema lists
ENGLISH = re.compile(
    r"\b(the|is|not|field|valid|required|must|this|object|does|exist|allowed|"
    r"format|ensure|value|invalid|enter|number|expected|found|method|media|"
    r"unsupported|credentials|provided|throttled|request|page|error|of|an|with|"
    r"only|has|was|please|give|say|which|cannot|may|try)\b",
    re.IGNORECASE,
)
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụ"
    r"ưừứửữựỳýỷỹỵđ]",
    re.IGNORECASE,
)

SESSIONS = "/api/v1/sessions/"
WORKSHOPS = "/api/v1/workshops/"
STATS = "/api/v1/stats/"
JSON_BODY = {"format": "json"}


class Caller:
    """An API client in one language, signed in as a ward official who
    has logged one session (its author may change it)."""

    def __init__(self, language, users, area):
        self.users, self.area = users, area
        self.client = self._client(language)
        self.client.force_login(users[Role.WARD])
        self.language = language
        member = MembershipFactory(member__ward=area.ward, team=area.team).member
        household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
        self.session = {
            "client_uuid": str(uuid.uuid4()),
            "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "place": "home",
            "team": area.team.pk,
            "members": [member.pk],
            "household": household.pk,
            "services": [{"service": "online_safety", "outcome": "done"}],
        }
        answer = self.client.post(SESSIONS, self.session, format="json")
        assert answer.status_code == 201, answer.content
        self.stored = "%s%d/" % (SESSIONS, answer.json()["id"])

    def _client(self, language) -> APIClient:
        client = APIClient()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    def anonymous(self, **headers) -> APIClient:
        client = self._client(self.language)
        client.credentials(**headers)
        return client

    def as_role(self, role) -> APIClient:
        client = self._client(self.language)
        client.force_login(self.users[role])
        return client


def battery(caller: Caller):
    """(what, response) for each bad request; the status each must answer."""
    c = caller.client
    bad_session = {
        "client_uuid": "x1",
        "started_at": "y2",
        "place": "zz",
        "team": "abc",
        "members": "q",
        "household": -5,
        "resident": [],
        "walk_in_gender": "zz",
        "walk_in_poor": "zz",
        "services": [{"service": "zz", "outcome": "qq", "dossier_ref": "9" * 60}],
        "duration_minutes": "abc",
        "notes": "n" * 2001,
        "source": "zz",
    }
    old = dict(caller.session, notes="Khác")
    yield "missing fields", 400, c.post(SESSIONS, {}, **JSON_BODY)
    yield "wrong types", 400, c.post(SESSIONS, bad_session, **JSON_BODY)
    yield (
        "other JSON types",
        400,
        c.post(
            SESSIONS,
            dict(caller.session, notes=5, duration_minutes="30", walk_in_poor="no"),
            **JSON_BODY,
        ),
    )
    yield (
        "out of range",
        400,
        c.post(
            SESSIONS,
            dict(
                caller.session,
                client_uuid=str(uuid.uuid4()),
                duration_minutes=9999,
                services=[],
                started_at="2026-01-01",
                members=[True],
            ),
            **JSON_BODY,
        ),
    )
    yield "not an object", 400, c.post(SESSIONS, [1, 2], **JSON_BODY)
    yield "broken JSON", 400, c.post(SESSIONS, "{zz", content_type="application/json")
    yield "plain text", 415, c.post(SESSIONS, "zz", content_type="text/plain")
    yield "an image asked", 406, c.get(SESSIONS, HTTP_ACCEPT="image/png")
    yield "list deleted", 405, c.delete(SESSIONS)
    yield (
        "bad filters",
        400,
        c.get(SESSIONS, {"date_from": "x", "team": "y", "updated_after": "z"}),
    )
    yield "bad cursor", 400, c.get(SESSIONS, {"cursor": "zz"})
    yield "bad page size", 400, c.get(SESSIONS, {"page_size": "0"})
    yield "unknown parameter", 400, c.get(SESSIONS, {"zz": "1"})
    yield "unknown session", 404, c.get("%s999999/" % SESSIONS)
    yield "negative id", 404, c.get("%s-1/" % SESSIONS)
    yield "id not a number", 404, c.get("%sabc/" % SESSIONS)
    yield "session posted to", 405, c.post(caller.stored, {}, **JSON_BODY)
    yield (
        "bad change",
        400,
        c.patch(caller.stored, {"place": "zz", "duration_minutes": 0}, **JSON_BODY),
    )
    yield (
        "stale change",
        412,
        c.patch(caller.stored, {"notes": "Mới"}, HTTP_IF_MATCH='"1.1"', **JSON_BODY),
    )
    yield "same UUID, other content", 409, c.post(SESSIONS, old, **JSON_BODY)
    yield (
        "change by another",
        403,
        caller.as_role(Role.TEAM_MEMBER).patch(
            caller.stored, {"notes": "Mới"}, **JSON_BODY
        ),
    )
    yield "workshop missing fields", 400, c.post(WORKSHOPS, {}, **JSON_BODY)
    yield (
        "workshop wrong values",
        400,
        c.post(
            WORKSHOPS,
            {
                "client_uuid": str(uuid.uuid4()),
                "team": 999999,
                "held_on": "x",
                "place": "",
                "topic": "zz",
                "audience": "zz",
                "attendees": 0,
                "women": -1,
            },
            **JSON_BODY,
        ),
    )
    yield "workshops page size", 400, c.get(WORKSHOPS, {"page_size": "q"})
    yield "workshops deleted", 405, c.delete(WORKSHOPS)
    yield (
        "workshop by a member",
        403,
        caller.as_role(Role.TEAM_MEMBER).post(WORKSHOPS, {}, **JSON_BODY),
    )
    yield "me posted to", 405, c.post("/api/v1/me/", {}, **JSON_BODY)
    yield "me, no credentials", 401, caller.anonymous().get("/api/v1/me/")
    yield (
        "me, unknown key",
        401,
        caller.anonymous(HTTP_X_API_KEY="zz").get("/api/v1/me/"),
    )
    yield "sessions, no credentials", 401, caller.anonymous().get(SESSIONS)
    yield "page past the end", 404, c.get("/api/v1/areas/provinces/", {"page": 99})
    yield "unknown province", 404, c.get("/api/v1/areas/provinces/99/wards/")
    yield "unknown ward", 404, c.get("/api/v1/areas/wards/99999/hamlets/")
    yield "provinces posted to", 405, c.post("/api/v1/areas/provinces/", {})
    yield "bad days", 400, c.get(STATS, {"date_from": "x", "date_to": "y"})
    yield (
        "bad choices",
        400,
        c.get(STATS, {"level": "zz", "interval": "q", "group": "r"}),
    )
    yield "bad format", 400, c.get(STATS, {"format": "pdf"})
    yield (
        "days reversed",
        400,
        c.get(STATS, {"date_from": "2026-02-01", "date_to": "2026-01-01"}),
    )
    yield "day out of range", 400, c.get(STATS, {"date_from": "1990-01-01"})
    yield (
        "period too long",
        400,
        c.get(STATS, {"date_from": "2024-01-01", "date_to": "2026-01-01"}),
    )
    yield "national with a code", 400, c.get(STATS, {"level": "national", "code": "01"})
    yield "ward code too short", 400, c.get(STATS, {"level": "ward", "code": "01"})
    yield "code not digits", 400, c.get(STATS, {"code": "zz"})
    yield (
        "hamlets of a province",
        400,
        caller.as_role(Role.PROVINCE).get(STATS, {"group": "hamlet"}),
    )
    yield (
        "province out of reach",
        404,
        c.get(STATS, {"level": "province", "code": "79"}),
    )
    yield "statistics posted to", 405, c.post(STATS, {}, **JSON_BODY)
    yield "summary bad day", 400, c.get("/api/v1/stats/summary/", {"date_to": "x"})
    yield "training bad group", 400, c.get("/api/v1/stats/training/", {"group": "zz"})
    coverage = "/api/v1/stats/coverage/"
    yield "coverage bad group", 400, c.get(coverage, {"group": "service"})
    yield (
        "coverage campaign with dates",
        400,
        c.get(coverage, {"campaign": "1", "date_to": "2026-01-01"}),
    )
    yield "coverage unknown campaign", 404, c.get(coverage, {"campaign": "999999"})
    yield "statistics for a member", 403, caller.as_role(Role.TEAM_MEMBER).get(STATS)
    yield (
        "statistics, unknown key",
        401,
        caller.anonymous(HTTP_X_API_KEY="zz").get(STATS),
    )
    yield "unknown path", 404, c.get("/api/v1/zz/")


def messages(value) -> list[str]:
    """Every message in an error body, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in messages(item)]
    if isinstance(value, list):
        return [text for item in value for text in messages(item)]
    return []


def check_shape(what, status, response) -> dict:
    assert response.status_code == status, (what, response.content)
    assert response["Content-Type"] == "application/json", what
    assert "X-RateLimit-Remaining" in response, what
    body = response.json()
    assert set(body) <= {"code", "detail", "errors", "id"}, (what, body)
    assert body["code"] in CODES, (what, body)
    assert isinstance(body["detail"], str) and body["detail"], (what, body)
    assert ("errors" in body) == (body["code"] in ("invalid", "conflict")), what
    if "errors" in body:
        assert body["errors"] and all(
            isinstance(field, (list, dict)) for field in body["errors"].values()
        ), (what, body)
    return body


def test_every_refusal_is_one_shape_in_vietnamese(users, area):
    caller = Caller("vi", users, area)

    for what, status, response in battery(caller):
        body = check_shape(what, status, response)
        texts = [body["detail"], *messages(body.get("errors", {}))]
        english = [text for text in texts if ENGLISH.search(text)]
        assert not english, (what, english)


def test_every_refusal_is_one_shape_in_english(users, area):
    caller = Caller("en", users, area)

    for what, status, response in battery(caller):
        body = check_shape(what, status, response)
        texts = [body["detail"], *messages(body.get("errors", {}))]
        vietnamese = [text for text in texts if VIETNAMESE.search(text)]
        assert not vietnamese, (what, vietnamese)
        assert all(re.search(r"[A-Za-z]{3}", text) for text in texts), (what, texts)


def test_the_codes_do_not_depend_on_the_language(users, area):
    codes = {}
    for language in ("vi", "en"):
        caller = Caller(language, users, area)
        codes[language] = [
            (what, response.json()["code"]) for what, _s, response in battery(caller)
        ]

    assert codes["vi"] == codes["en"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_exhausted_budget_is_said_in_the_readers_language(
    users, area, settings, language
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"capture": "1/min"},
    }
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(users[Role.WARD])
    client.get("/api/v1/me/")

    response = client.get("/api/v1/me/")

    body = check_shape("throttled", 429, response)
    assert body["code"] == "throttled"
    seconds = response["Retry-After"]
    expected = {
        "vi": "Quá nhiều yêu cầu: hãy thử lại sau %s giây." % seconds,
        "en": "Too many requests: try again in %s s." % seconds,
    }
    assert body["detail"] == expected[language]


def test_broken_json_is_located_not_quoted_from_python(users, area):
    client = APIClient()
    client.force_login(users[Role.WARD])

    response = client.post(
        SESSIONS, '{"place": "home",\n "notes": }', content_type="application/json"
    )

    assert response.json() == {
        "code": "parse_error",
        "detail": "Nội dung gửi lên không phải JSON hợp lệ (dòng 2, cột 11).",
    }


def test_no_message_leaks_english_of_its_own_in_vietnamese(users, area):
    """Sanity of the check itself: DRF's English would be caught."""
    assert ENGLISH.search("This field is required.")
    assert ENGLISH.search('"zz" is not a valid choice.')
    assert not ENGLISH.search(json.loads('"Trường này là bắt buộc."'))

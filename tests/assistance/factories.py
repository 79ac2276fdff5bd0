import datetime
import uuid

import factory
from django.utils import timezone

from assistance.models import AssistanceSession, Campaign, ServiceType, SessionService
from assistance.services import ServiceLine
from teams.models import Member, Membership, ServicePoint
from tests.areas.factories import WardFactory
from tests.teams.factories import TeamFactory

# Every membership in these tests starts well before any session.
JOINED = datetime.date(2025, 1, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    ward = factory.SubFactory(WardFactory)
    full_name = factory.Sequence(lambda n: "Đỗ Văn Tình Nguyện %d" % n)
    phone = factory.Sequence(lambda n: "0912%06d" % n)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    team = factory.SubFactory(TeamFactory, ward=factory.SelfAttribute("..member.ward"))
    joined_on = JOINED


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: "Điểm hỗ trợ lưu động %d" % n)


class SessionFactory(factory.django.DjangoModelFactory):
    """A stored session written straight to the table, bypassing the service.

    For reading tests (lists, counts, scope); tests of writing go through
    ``session_record``. ``services`` takes ``(code, outcome)`` pairs.
    """

    class Meta:
        model = AssistanceSession
        skip_postgeneration_save = True

    client_uuid = factory.LazyFunction(uuid.uuid4)
    team = factory.SubFactory(TeamFactory)
    ward = factory.SelfAttribute("team.ward")
    started_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )
    started_on = factory.LazyAttribute(lambda o: timezone.localdate(o.started_at))
    place = AssistanceSession.Place.HOME
    household = None
    resident = None
    source = AssistanceSession.Source.FIELD
    walk_in_gender = factory.LazyAttribute(
        lambda o: "" if o.household or o.resident else "female"
    )
    walk_in_age_group = factory.LazyAttribute(
        lambda o: "" if o.household or o.resident else AssistanceSession.AgeGroup.ADULT
    )

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        for code, outcome in extracted or [("online_safety", "done")]:
            SessionService.objects.create(
                session=obj, service_type=service(code), outcome=outcome
            )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: "Chiến dịch chuyển đổi số %d" % n)
    ward = None
    starts_on = datetime.date(2026, 10, 1)
    ends_on = datetime.date(2026, 10, 31)


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def line(code: str, outcome: str = "done", reason: str = "", dossier_ref: str = ""):
    return ServiceLine(service(code), outcome, reason, dossier_ref)


def local(year, month, day, hour=9, minute=0) -> datetime.datetime:
    """An aware moment in Vietnam's time, the way phones report sessions."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))

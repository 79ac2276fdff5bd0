import datetime

import factory

from tests.areas.factories import ProvinceFactory
from tests.teams.factories import TeamFactory
from training.models import Attendance, Course, TrainingEvent, Workshop


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: "Kỹ năng số cho tổ công nghệ số %d" % n)
    provider = Course.Provider.PROVINCE
    mode = Course.Mode.IN_PERSON
    province = factory.SubFactory(ProvinceFactory)
    ward = None


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: "TH-2026-%02d" % n)
    starts_on = datetime.date(2026, 3, 10)
    place = "Hội trường Ủy ban nhân dân"
    province = factory.SelfAttribute("course.province")
    ward = factory.SelfAttribute("course.ward")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(TrainingEventFactory)
    status = Attendance.Status.REGISTERED


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    team = factory.SubFactory(TeamFactory)
    held_on = datetime.date(2026, 3, 12)
    place = "Nhà văn hóa tổ dân phố"
    topic = "safety"
    audience = Workshop.Audience.ELDERLY
    attendees = 30
    women = 18

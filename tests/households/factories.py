import factory

from households.models import Household, Resident
from tests.areas.factories import HamletFactory, WardFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    ward = factory.SubFactory(WardFactory)
    hamlet = factory.SubFactory(HamletFactory, ward=factory.SelfAttribute("..ward"))
    code = factory.Sequence(lambda n: "HGD%04d" % n)
    head_name = factory.Sequence(lambda n: "Trần Văn Hộ %d" % n)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Sequence(lambda n: "Lê Thị Dân %d" % n)
    birth_year = 1980
    gender = Resident.Gender.FEMALE

import factory

from teams.models import Team
from tests.areas.factories import WardFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: "Tổ công nghệ số cộng đồng %d" % n)

import factory

from areas.models import Hamlet, Province, Ward


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "%02d" % (n % 100))
    name = factory.Sequence(lambda n: "Tỉnh Thử Nghiệm %d" % n)
    kind = Province.Kind.PROVINCE
    codename = factory.Sequence(lambda n: "thu_nghiem_%d" % n)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "%05d" % (90000 + n))
    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: "Phường Thử Nghiệm %d" % n)
    kind = Ward.Kind.WARD
    codename = factory.Sequence(lambda n: "phuong_thu_nghiem_%d" % n)


class HamletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hamlet

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: "Tổ dân phố số %d" % n)
    kind = Hamlet.Kind.TO_DAN_PHO

"""Output shapes of the areas API."""

from rest_framework import serializers

from ..models import Hamlet, Province, Ward


class ProvinceOutput(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "kind"]


class WardOutput(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True)

    class Meta:
        model = Ward
        fields = ["code", "name", "kind", "province"]


class HamletOutput(serializers.ModelSerializer):
    ward = serializers.CharField(source="ward_id", read_only=True)

    class Meta:
        model = Hamlet
        fields = ["id", "name", "kind", "is_active", "ward"]

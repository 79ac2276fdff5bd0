import pytest
from django.db import OperationalError

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_all_parts_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }


def test_broker_down_is_named_with_a_503(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"] == "ok"


def test_database_down_is_named_with_a_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection.cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]

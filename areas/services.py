import unicodedata
from dataclasses import dataclass

import vietnam_provinces as vp
from django.db import transaction

from .models import Province, Ward

PROVINCE_KINDS = {
    vp.VietNamDivisionType.TINH: Province.Kind.PROVINCE,
    vp.VietNamDivisionType.THANH_PHO_TRUNG_UONG: Province.Kind.CITY,
}
WARD_KINDS = {
    vp.VietNamDivisionType.XA: Ward.Kind.COMMUNE,
    vp.VietNamDivisionType.PHUONG: Ward.Kind.WARD,
    vp.VietNamDivisionType.DAC_KHU: Ward.Kind.SPECIAL_ZONE,
}


@dataclass
class LoadReport:
    provinces_created: int = 0
    provinces_updated: int = 0
    wards_created: int = 0
    wards_updated: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.provinces_created,
                self.provinces_updated,
                self.wards_created,
                self.wards_updated,
            )
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _sync(model, rows: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones, keyed by official code."""
    existing = model.objects.in_bulk(list(rows))
    to_create, to_update = [], []
    for code, values in rows.items():
        row = existing.get(code)
        if row is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(row, field) != values[field] for field in fields):
            for field in fields:
                setattr(row, field, values[field])
            to_update.append(row)
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create), len(to_update)


@transaction.atomic
def areas_load() -> LoadReport:
    """Bring provinces and wards in line with the official list.

    Units are matched by official code, so a renamed unit is updated in place.
    """
    provinces = {
        f"{int(p.code):02d}": {
            "name": _nfc(p.name),
            "kind": PROVINCE_KINDS[p.division_type],
            "codename": p.codename,
        }
        for p in vp.Province.iter_all()
    }
    wards = {
        f"{int(w.code):05d}": {
            "name": _nfc(w.name),
            "kind": WARD_KINDS[w.division_type],
            "codename": w.codename,
            "province_id": f"{int(w.province_code):02d}",
        }
        for w in vp.Ward.iter_all()
    }
    report = LoadReport()
    report.provinces_created, report.provinces_updated = _sync(
        Province, provinces, ["name", "kind", "codename"]
    )
    report.wards_created, report.wards_updated = _sync(
        Ward, wards, ["name", "kind", "codename", "province_id"]
    )
    return report

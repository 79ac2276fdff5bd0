RESIDENT_FIELDS = (
    "full_name",
    "birth_year",
    "gender",
    "phone",
    "vneid_level",
    "digital_skill",
)
RESIDENT_BOXES = (
    "has_smartphone",
    "is_focal_person",
    "disability",
    "ethnic_minority",
)


def household_form(household, **changes) -> dict:
    """The household's admin change form, residents inline, as a browser posts it."""
    residents = list(household.residents.all())
    data = {
        "ward": household.ward_id,
        "hamlet": household.hamlet_id,
        "code": household.code,
        "head_name": household.head_name,
        "address": household.address,
        "phone": household.phone,
        "size": household.size,
        "poverty": household.poverty,
        "residents-TOTAL_FORMS": len(residents),
        "residents-INITIAL_FORMS": len(residents),
    }
    for index, resident in enumerate(residents):
        prefix = "residents-%d-" % index
        data[prefix + "id"] = resident.pk
        data[prefix + "household"] = household.pk
        for field in RESIDENT_FIELDS:
            data[prefix + field] = getattr(resident, field)
        for box in RESIDENT_BOXES:
            if getattr(resident, box):
                data[prefix + box] = "on"
    data.update(changes)
    return data

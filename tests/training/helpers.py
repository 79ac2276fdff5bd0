"""Admin URLs and change forms as a browser posts them."""

COURSES = "/admin/training/course/"
EVENTS = "/admin/training/trainingevent/"
ATTENDANCE = "/admin/training/attendance/"
WORKSHOPS = "/admin/training/workshop/"
MEMBERS = "/admin/teams/member/"


def listed(client, url) -> set:
    return set(client.get(url).context["cl"].result_list)


def course_form(course, **changes) -> dict:
    data = {
        "title": course.title,
        "provider": course.provider,
        "mode": course.mode,
        "topics": course.topics,
        "province": course.province_id,
        "ward": course.ward_id or "",
    }
    data.update(changes)
    return data


def event_form(event, attendances=(), **changes) -> dict:
    data = {
        "course": event.course_id,
        "code": event.code,
        "starts_on": event.starts_on.strftime("%d/%m/%Y"),
        "place": event.place,
        "province": event.province_id,
        "ward": event.ward_id or "",
        "attendances-TOTAL_FORMS": len(attendances),
        "attendances-INITIAL_FORMS": 0,
    }
    if event.is_online:
        data["is_online"] = "on"
    for index, (member, status) in enumerate(attendances):
        data["attendances-%d-member" % index] = member.pk
        data["attendances-%d-status" % index] = status
    data.update(changes)
    return data


def new_event_form(area, course, attendances):
    data = {
        "course": course.pk,
        "code": "bd-2026-02",
        "starts_on": "06/05/2026",
        "place": "Nhà văn hóa phường",
        "province": area.province.pk,
        "ward": area.ward.pk,
        "attendances-TOTAL_FORMS": len(attendances),
        "attendances-INITIAL_FORMS": 0,
    }
    for index, attendance in enumerate(attendances):
        for name, value in attendance.items():
            data["attendances-%d-%s" % (index, name)] = value
    return data

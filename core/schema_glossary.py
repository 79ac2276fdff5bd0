"""What the API's recurring property names mean, for the schema.

A serializer field's own help_text describes it; a property whose field gives
none is described here by its name, which means the same wherever the API
uses it (a test keeps every property described). Read by core.schema.
"""

from django.utils.translation import gettext_lazy as _

DESCRIPTIONS = {
    "approved": _(
        "true when every ward-month the figures cover is approved: each ward "
        "of the row's area (its group's ward or province, else the area asked "
        "for) has its monthly report of each month the row's days touch "
        "approved; false while any is provisional (not yet approved, or "
        "reopened). Approved months' records are locked, so their figures no "
        "longer change."
    ),
    "area": _("The area counted: its level, code and name."),
    "attendees": _("People who attended, as counted at the workshop."),
    "audience": _("Who the workshop was for."),
    "cashless_setups": _(
        "Cashless payment set-ups completed (e-wallets, bank apps, QR bill payment)."
    ),
    "client_uuid": _(
        "Made up by the phone or client before sending; the same UUID sent "
        "again is the same record, stored once."
    ),
    "closed_at": _("When the follow-up was closed; null while it is open."),
    "code": _(
        "Official code of the area (2 digits for a province, 5 for a ward);"
        " null for the whole country."
    ),
    "count": _("How many items there are on all pages together."),
    "courses_completed": _(
        "Courses completed by the area's members at events starting this "
        "calendar year (now)."
    ),
    "created_at": _("When the record was first stored."),
    "date_from": _("First day counted."),
    "date_to": _("Last day counted."),
    "detail": _("What happened, in a sentence for people."),
    "disability": _("Attendees with a disability."),
    "disability_sessions": _("Sessions helping a person with a disability."),
    "dossier_ref": _(
        "The dossier number the public-service portal gave, when an "
        "application was filed."
    ),
    "duration_minutes": _("How long the help took, in minutes."),
    "elderly": _("Attendees aged 60 or over."),
    "elderly_sessions": _("Sessions helping a person aged 60 or over."),
    "focal_share": _(
        "Share of households with a focal person for digital matters (0 to "
        "1); null without households."
    ),
    "group": _(
        "How the rows are split (none, category, service, hamlet, ward, "
        "province, topic or audience)."
    ),
    "hamlet_coverage": _(
        "Share of active hamlets with at least one session in the period (0"
        " to 1); null without hamlets."
    ),
    "hamlets": _("Active hamlets and residential groups in the area (now)."),
    "hamlets_covered": _("Of them, those with at least one session in the period."),
    "held_on": _("The day the workshop was held."),
    "household": _("Id of the household helped; null for a walk-in."),
    "households": _("Households in the registry (now)."),
    "households_reached": _("Distinct households helped in the period."),
    "households_with_focal": _(
        "Households with a focal person for digital matters (now)."
    ),
    "id": _("The record's id on this platform."),
    "interval": _("Length of each row's period: day, week (from Monday) or month."),
    "is_active": _("Whether it is still in use; inactive ones are kept for history."),
    "kind": _("What kind of unit it is, in Vietnam's official terms."),
    "level": _("How far it reaches: national, province or ward."),
    "level2_activations": _(
        "Level-2 electronic identity (VNeID) activations completed."
    ),
    "level2_share": _(
        "Share of residents with level-2 electronic identity (0 to 1); null"
        " without residents."
    ),
    "may_edit": _(
        "Whether the caller may still change this session (its author, "
        "within 24 hours)."
    ),
    "members": _(
        "Team members (ids) who gave the help; current members of active "
        "teams in statistics."
    ),
    "members_per_team": _("Current members per active team; null without teams."),
    "members_trained": _(
        "Members who attended or completed a training event starting this "
        "calendar year (now)."
    ),
    "members_trained_share": _(
        "Share of current members trained this year (0 to 1); null without members."
    ),
    "name": _("The name, as officials write it."),
    "next": _("Address of the next page; null on the last."),
    "notes": _("Free notes by the team member; not counted in statistics."),
    "online_filings": _("Online public-service applications filed."),
    "open_follow_ups": _("Follow-ups still open (now)."),
    "outcome": _("How this service ended: done, needs a follow-up, or failed."),
    "place": _(
        "Where the help was given: at home, at a service point, on a mobile"
        " visit, or by phone."
    ),
    "poor": _("Attendees from poor or near-poor households."),
    "poor_sessions": _("Sessions helping a poor or near-poor household."),
    "previous": _("Address of the previous page; null on the first."),
    "priority_sessions": _(
        "Sessions helping a priority person (elderly, with a disability, "
        "poor, ethnic minority or without a smartphone)."
    ),
    "province": _("Official code of the province."),
    "reason": _("Why the service could not be done, when it failed."),
    "resident": _(
        "Id of the resident helped, within the household; null when not known."
    ),
    "residents": _("Residents in the registry (now)."),
    "residents_level2": _("Of them, those with level-2 electronic identity (now)."),
    "results": _("The rows of this answer or page."),
    "scope": _("The area the caller may read."),
    "service": _("The service's code in the catalogue."),
    "service_name": _("The service's name in the catalogue."),
    "service_point": _(
        "Id of the service point where the help was given; null elsewhere."
    ),
    "services": _(
        "Each service given, with its outcome; services given in statistics."
    ),
    "services_given": _("Services given (one session may give several)."),
    "sessions": _("Assistance sessions."),
    "sessions_per_member_day": _(
        "Sessions per current member per day of the period; null without members."
    ),
    "source": _(
        "Where the session was recorded: the field page, the admin or the API."
    ),
    "started_at": _("When the help started, with its offset (Vietnam is +07:00)."),
    "started_on": _("The day the help started, in Vietnam's time."),
    "team": _("Id of the team."),
    "teams": _("Active teams in the area (now)."),
    "topic": _("The workshop's topic, as a service category."),
    "updated_at": _("When the record last changed; pull changes with updated_after."),
    "walk_in_age_group": _("A walk-in's age group; null for a household session."),
    "walk_in_disability": _("Whether a walk-in has a disability."),
    "walk_in_elderly_alone": _("Whether a walk-in is an elderly person living alone."),
    "walk_in_ethnic_minority": _("Whether a walk-in belongs to an ethnic minority."),
    "walk_in_gender": _("A walk-in's gender; null for a household session."),
    "walk_in_no_smartphone": _("Whether a walk-in has no smartphone."),
    "walk_in_poor": _("Whether a walk-in is from a poor or near-poor household."),
    "ward": _("Official code of the ward (commune, ward or special zone)."),
    "women": _("Women among the attendees."),
    "workshop_attendees": _(
        "People at the residents' workshops of the period, as counted at each."
    ),
    "workshops": _("Workshops held for residents."),
    "address": _("The household's address, as the ward writes it."),
    "approved_at": _("When the province approved the report; null until approved."),
    "candidates": _("The households this one may repeat, with why."),
    "elderly_alone": _("Whether an elderly person lives alone in the household."),
    "errors": _("Each field refused, with what is wrong with it."),
    "ethnic_minority": _("Whether the household belongs to an ethnic minority."),
    "hamlet": _("The household's hamlet or residential group."),
    "hamlet_name": _("The name of the household's hamlet or residential group."),
    "head": _("The name of the head of household."),
    "head_name": _("The name of the head of household, as on the household register."),
    "label": _("The same, in words for people."),
    "month": _("The month reported, as YYYY-MM."),
    "no_smartphone": _("Whether nobody in the household has a smartphone."),
    "phone": _("A contact phone, in Vietnam's national form (0912345678)."),
    "poverty": _("Whether the household is poor or near-poor."),
    "reasons": _("Why it may be the same household."),
    "registered_on": _("The day the household was registered on the platform."),
    "reports": _("Each ward's report of the month."),
    "size": _("How many people live in the household."),
    "submitted_at": _("When the ward submitted the report; null until submitted."),
}

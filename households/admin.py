from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    ScopedHistoryAdmin,
    ScopedImportExportMixin,
    ScopedModelAdmin,
    ScopedStackedInline,
)

from .models import Household, Resident
from .resources import HouseholdResource, ResidentResource

ONLY_USED = admin.RelatedOnlyFieldListFilter  # choices from the user's own rows


class ResidentInline(ScopedStackedInline):
    model = Resident
    extra = 0
    fields = (
        ("full_name", "birth_year", "gender"),
        ("phone", "has_smartphone", "is_focal_person"),
        ("vneid_level", "digital_skill"),
        ("disability", "ethnic_minority"),
    )


@admin.register(Household)
class HouseholdAdmin(ScopedHistoryAdmin, ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [HouseholdResource]
    streamed_import = True  # a province's file, read row by row (set-wise import)
    list_display = (
        "code",
        "head_name",
        "hamlet",
        "size",
        "resident_count",
        "has_focal_person",
        "priority",
        "ward",
    )
    list_filter = (
        ("hamlet", ONLY_USED),
        ("ward", ONLY_USED),
        "poverty",
        "elderly_alone",
        "disability",
        "ethnic_minority",
        "no_smartphone",
    )
    list_select_related = ("ward", "hamlet")
    search_fields = ("search_text",)
    search_rank_field = "head_name"
    search_help_text = _(
        "Name, code, address or phone; accents and case do not matter."
    )
    autocomplete_fields = ("ward", "hamlet")
    ordering = ("ward_id", "code")  # the resident count's GROUP BY drops Meta's
    list_per_page = 50
    show_full_result_count = False  # a count(*) per page is wasted on big wards
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "ward",
                    "hamlet",
                    "code",
                    "head_name",
                    "address",
                    "phone",
                    "size",
                )
            },
        ),
        (
            _("Priority groups"),
            {
                "fields": (
                    "elderly_alone",
                    "disability",
                    "poverty",
                    "ethnic_minority",
                    "no_smartphone",
                )
            },
        ),
    )
    inlines = [ResidentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                resident_total=Count("residents"),
                focal=Exists(
                    Resident.objects.filter(
                        household=OuterRef("pk"), is_focal_person=True
                    )
                ),
            )
        )

    @admin.display(description=_("residents registered"), ordering="resident_total")
    def resident_count(self, household):
        return household.resident_total

    @admin.display(
        description=_("digital focal person"), boolean=True, ordering="focal"
    )
    def has_focal_person(self, household):
        return household.focal

    @admin.display(description=_("priority"))
    def priority(self, household):
        # Short badges keep the column narrow; the group's full name is the
        # badge's title and what a screen reader reads.
        badges = [
            (
                household.elderly_alone,
                gettext("elderly"),
                gettext("elderly alone"),
            ),
            (
                household.disability,
                gettext("disabled"),
                gettext("disability"),
            ),
            (
                bool(household.poverty),
                household.get_poverty_display(),
                household.get_poverty_display(),
            ),
            (
                household.ethnic_minority,
                gettext("minority"),
                gettext("ethnic minority"),
            ),
            (
                household.no_smartphone,
                gettext("basic phone"),
                gettext("no smartphone"),
            ),
        ]
        return format_html_join(
            "",
            '<span class="priority-badge" title="{}">'
            '<span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></span> ',
            ((full, short, full) for shown, short, full in badges if shown),
        )


@admin.register(Resident)
class ResidentAdmin(ScopedHistoryAdmin, ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [ResidentResource]
    list_display = (
        "full_name",
        "born",
        "gender",
        "household",
        "vneid_level",
        "digital_skill",
        "has_smartphone",
        "is_focal_person",
    )
    list_filter = (
        ("household__hamlet", ONLY_USED),
        ("ward", ONLY_USED),
        "vneid_level",
        "digital_skill",
        "gender",
        "has_smartphone",
        "is_focal_person",
        "disability",
        "ethnic_minority",
    )
    list_select_related = ("household",)
    search_fields = ("search_text",)
    search_rank_field = "full_name"
    search_help_text = _("Name or phone; accents and case do not matter.")
    autocomplete_fields = ("household",)
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "household",
        ("full_name", "birth_year", "gender"),
        ("phone", "has_smartphone", "is_focal_person"),
        ("vneid_level", "digital_skill"),
        ("disability", "ethnic_minority"),
    )

    @admin.display(
        description=Resident._meta.get_field("birth_year").verbose_name,
        ordering="birth_year",
    )
    def born(self, resident):
        # A year, not a quantity: 1968, never "1.968".
        return str(resident.birth_year) if resident.birth_year else None

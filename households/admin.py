from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    ScopedHistoryAdmin,
    ScopedImportExportMixin,
    ScopedModelAdmin,
    ScopedStackedInline,
)

from .forms import DuplicateCheckForm
from .merge import household_merge, movable_counts
from .models import Household, HouseholdMerge, Resident
from .resources import HouseholdResource, ResidentResource
from .services import household_save

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
    actions = ["merge_households"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (DuplicateCheckForm, form), {"user": request.user})

    def save_model(self, request, obj, form, change):
        household_save(household=obj, user=request.user)

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

    @admin.action(
        description=_("Merge two households (the same family registered twice)"),
        permissions=["change"],
    )
    def merge_households(self, request, queryset):
        """Ask which of the two selected households to keep, then merge the
        other into it."""
        households = list(queryset.select_related("hamlet").order_by("code")[:3])
        if len(households) != 2:
            self.message_user(
                request,
                gettext("Select exactly two households to merge."),
                messages.WARNING,
            )
            return None
        if request.POST.get("post") == "yes":
            kept = next(
                (h for h in households if str(h.pk) == request.POST.get("keep")), None
            )
            if kept is None:
                self.message_user(
                    request,
                    gettext("Choose the household to keep."),
                    messages.WARNING,
                )
            else:
                merged = households[1] if kept is households[0] else households[0]
                return self._merge(request, kept, merged)
        return TemplateResponse(
            request,
            "admin/households/household/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Merge two households"),
                "opts": self.opts,
                "households": [
                    (household, movable_counts(household)) for household in households
                ],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _merge(self, request, kept, merged):
        try:
            record = household_merge(
                user=request.user, kept_pk=kept.pk, merged_pk=merged.pk
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        moved = sum(record.moved.values())
        self.message_user(
            request,
            ngettext(
                "Household %(merged)s was merged into %(kept)s: %(count)d record "
                "moved to it.",
                "Household %(merged)s was merged into %(kept)s: %(count)d records "
                "moved to it.",
                moved,
            )
            % {"merged": record.merged_code, "kept": record.kept_code, "count": moved},
            messages.SUCCESS,
        )
        return None

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


@admin.register(HouseholdMerge)
class HouseholdMergeAdmin(ScopedModelAdmin):
    """The audit of merges: read by everyone in scope, written only by the
    merge itself."""

    list_display = (
        "merged_at",
        "merged_code",
        "kept_link",
        "moved_summary",
        "residents_joined",
        "merged_by",
        "ward",
    )
    list_filter = (("ward", ONLY_USED),)
    list_select_related = ("kept", "merged_by", "ward")
    fields = (
        "merged_at",
        "merged_code",
        "merged_pk",
        "kept",
        "kept_code",
        "moved",
        "residents_joined",
        "merged_by",
        "ward",
    )
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("household kept"), ordering="kept_code")
    def kept_link(self, merge):
        return merge.kept or merge.kept_code

    @admin.display(description=_("rows moved"))
    def moved_summary(self, merge):
        parts = []
        for label, count in sorted(merge.moved.items()):
            try:
                name = apps.get_model(label)._meta.verbose_name_plural
            except (LookupError, ValueError):
                name = label
            parts.append("%s: %d" % (name, count))
        return ", ".join(parts)

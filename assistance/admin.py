import uuid

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    ScopedHistoryAdmin,
    ScopedModelAdmin,
    ScopedTabularInline,
)
from accounts.models import Role
from areas.lock_admin import MonthLockedDeletes
from areas.locks import month_lock_check
from core.exports import changelist_queryset, csv_chunks, export_filename
from core.replica import replica_rows

from .models import (
    AssistanceSession,
    Campaign,
    CampaignTarget,
    ServiceType,
    SessionService,
)
from .selectors import (
    SESSION_EXPORT_HEADERS,
    session_export_rows,
)
from .services import (
    WALK_IN_FIELDS,
    ServiceLine,
    services_check,
    session_check,
    session_record,
    session_update,
)

ONLY_USED = admin.RelatedOnlyFieldListFilter


# The catalogue is national: the admin site keeps it to national
# administrators, since this admin does not declare an area scope.
@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name_vi", "name_en", "category", "is_filing", "is_active")
    list_editable = ("is_active",)
    list_filter = ("category", "is_filing", "is_active")
    search_fields = ("code", "name_vi", "name_en")


class SessionServiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        services_check(self.lines())

    def lines(self) -> list[ServiceLine]:
        """The lines the official leaves in the session, as the service takes them."""
        return [
            ServiceLine(
                form.cleaned_data["service_type"],
                form.cleaned_data.get("outcome") or "",
                form.cleaned_data.get("reason") or "",
                form.cleaned_data.get("dossier_ref") or "",
            )
            for form in self.forms
            if form.cleaned_data.get("service_type")
            and not form.cleaned_data.get("DELETE")
        ]


class SessionServiceInline(ScopedTabularInline):
    model = SessionService
    formset = SessionServiceFormSet
    extra = 1
    min_num = 0
    fields = ("service_type", "outcome", "reason", "dossier_ref", "closed_at")
    # Follow-ups are closed by the sessions that finish them, or by hand on
    # the field pages; the session service writes the lines.
    readonly_fields = ("closed_at",)


CONTENT_FIELDS = (
    "team",
    "started_at",
    "place",
    "service_point",
    "household",
    "resident",
    *WALK_IN_FIELDS,
    "duration_minutes",
    "notes",
)


class SessionForm(forms.ModelForm):
    CONTENT = CONTENT_FIELDS

    class Meta:
        model = AssistanceSession
        # What the form holds: its content and the members who gave the help.
        fields = ("members", *CONTENT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # still as stored: a locked month's stays there
            month_lock_check(
                ward_id=self.instance.ward_id, day=self.instance.started_on
            )
        if self.errors or not cleaned.get("team"):
            return cleaned
        session_check(**self.content(), services=None)
        return cleaned

    def content(self) -> dict:
        """The session as the form gives it, in the session service's terms."""
        cleaned = self.cleaned_data
        return {
            **{name: cleaned.get(name) for name in self.CONTENT},
            "members": list(cleaned.get("members") or ()),
        }


@admin.register(AssistanceSession)
class AssistanceSessionAdmin(MonthLockedDeletes, ScopedHistoryAdmin, ScopedModelAdmin):
    form = SessionForm
    lock_day_field = "started_on"
    # "Tải CSV" above the list: the sessions it shows, streamed. No import:
    # sessions are written through the one write path, never from a file.
    change_list_template = "admin/assistance/session_change_list.html"
    inlines = [SessionServiceInline]
    list_display = (
        "started_at",
        "place",
        "team",
        "household",
        "service_list",
        "source",
        "ward",
    )
    list_filter = (
        "place",
        "source",
        "services__outcome",
        ("team", ONLY_USED),
        ("ward", ONLY_USED),
    )
    list_select_related = ("team", "household", "ward")
    search_fields = ("household__search_text", "resident__search_text")
    search_help_text = _("Household or resident; accents and case do not matter.")
    date_hierarchy = "started_at"
    autocomplete_fields = ("team", "household", "resident", "service_point")
    filter_horizontal = ("members",)
    readonly_fields = ("source", "recorded_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("team", "members", "started_at", "place", "service_point")}),
        (_("Who was helped"), {"fields": ("household", "resident")}),
        (
            _("Walk-in (no personal data)"),
            {"fields": WALK_IN_FIELDS, "classes": ("collapse",)},
        ),
        (None, {"fields": ("duration_minutes", "notes")}),
        (
            _("Record"),
            {"fields": ("source", "recorded_by", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services__service_type")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.csv_export_view),
                name="%s_%s_export_csv" % info,
            ),
        ] + super().get_urls()

    def csv_export_view(self, request):
        """The list's sessions (scope, filters, search) as CSV, streamed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            sessions = changelist_queryset(self, request)
        except IncorrectLookupParameters:
            changelist = reverse("admin:assistance_assistancesession_changelist")
            return HttpResponseRedirect("%s?%s=1" % (changelist, ERROR_FLAG))
        response = StreamingHttpResponse(
            csv_chunks(
                SESSION_EXPORT_HEADERS,
                replica_rows(session_export_rows(sessions=sessions), request),
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="%s"' % (
            export_filename(self, "csv")
        )
        return response

    @admin.display(description=_("services"))
    def service_list(self, session):
        return ", ".join(str(line.service_type) for line in session.services.all())

    def save_model(self, request, obj, form, change):
        """Nothing yet: the session service stores it with its lines, below."""

    def save_related(self, request, form, formsets, change):
        # One write path: the session, its members and lines go through the
        # service the field pages and the API use, with its derived fields,
        # follow-ups and e-ID levels.
        (lines,) = [f for f in formsets if isinstance(f, SessionServiceFormSet)]
        content = {**form.content(), "services": lines.lines()}
        if change:
            session_update(session=form.instance, visible_to=request.user, **content)
        else:
            session, _created = session_record(
                client_uuid=uuid.uuid4(),
                source=AssistanceSession.Source.ADMIN,
                recorded_by=request.user,
                visible_to=request.user,
                **content,
            )
            form.instance.pk = session.pk
            form.instance.client_uuid = session.client_uuid
        for formset in formsets:
            formset.save(commit=False)  # what changed, for the admin's log only


class CampaignTargetInline(ScopedTabularInline):
    model = CampaignTarget
    edit_roles = (Role.PROVINCE, Role.WARD)
    extra = 1


class CampaignForm(forms.ModelForm):
    user = None  # set per request by CampaignAdmin.get_form

    class Meta:
        model = Campaign
        fields = ("name", "province", "ward", "starts_on", "ends_on", "description")

    def clean_ward(self):
        ward = self.cleaned_data.get("ward")
        if self.user is not None and self.user.role == Role.WARD and ward is None:
            raise ValidationError(
                _("A ward official runs drives over their own ward: choose it.")
            )
        return ward


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    """Province staff run province-wide drives; ward officials their ward's."""

    edit_roles = (Role.PROVINCE, Role.WARD)
    form = CampaignForm
    inlines = [CampaignTargetInline]
    # reports.admin adds the progress, read from reports' coverage.
    list_display = ("name", "province", "ward", "starts_on", "ends_on")
    list_filter = (("ward", ONLY_USED),)
    list_select_related = ("province", "ward")
    search_fields = ("name",)
    autocomplete_fields = ("province", "ward")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    def _owns(self, request, campaign) -> bool:
        if campaign is None or request.user.role != Role.WARD:
            return True
        return campaign.ward_id == request.user.ward_id

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.province_id:
            initial.setdefault("province", request.user.province_id)
        if request.user.role == Role.WARD:
            initial.setdefault("ward", request.user.ward_id)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

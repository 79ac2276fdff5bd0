from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    ScopedHistoryAdmin,
    ScopedImportExportMixin,
    ScopedModelAdmin,
    ScopedTabularInline,
)
from accounts.models import Role
from accounts.scope import Level, scope, scope_for
from areas.lock_admin import MonthLockedDeletes
from areas.locks import month_lock_check

from .models import (
    Attendance,
    Course,
    TrainingEvent,
    Workshop,
    is_run_by,
    records_attendance,
)
from .resources import AttendanceResource
from .selectors import course_list, event_list
from .services import workshop_update

ONLY_USED = admin.RelatedOnlyFieldListFilter
# Scores are typed the Vietnamese way, 8,5; a dot is read too.
LOCALISED_SCORE = {models.DecimalField: {"localize": True}}


class AreaOwnedForm(forms.ModelForm):
    """Province staff add province-wide rows, ward officials their ward's."""

    user = None  # set per request by AreaOwnedAdmin.get_form

    def clean_ward(self):
        ward = self.cleaned_data.get("ward")
        role = self.user.role if self.user is not None else None
        if role == Role.WARD and ward is None:
            raise ValidationError(_("Choose your ward: ward officials add its own."))
        if role == Role.PROVINCE and ward is not None:
            raise ValidationError(
                _(
                    "Leave the ward empty: province staff add what the whole "
                    "province is offered, and each ward's officials add its own."
                )
            )
        return ward


class RunByOnly:
    """Change and delete only the rows the user's level keeps (``keeps``).

    Without a row (the list, the add page) the role's permission decides.
    """

    def keeps(self, request, obj) -> bool:
        return obj is None or is_run_by(scope_for(request.user), obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.keeps(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.keeps(request, obj)


class AreaOwnedAdmin(RunByOnly, ScopedModelAdmin):
    """Courses and events: each level edits its own and reads the other's."""

    edit_roles = (Role.PROVINCE, Role.WARD)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.province_id:
            initial.setdefault("province", request.user.province_id)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


class CourseForm(AreaOwnedForm):
    class Meta:
        model = Course
        fields = ("title", "provider", "mode", "topics", "province", "ward")


@admin.register(Course)
class CourseAdmin(AreaOwnedAdmin):
    form = CourseForm
    list_display = ("title", "provider", "mode", "topics", "province", "ward")
    list_select_related = ("province", "ward")
    list_filter = ("provider", "mode", ("ward", ONLY_USED))
    search_fields = ("title", "topics")
    autocomplete_fields = ("province", "ward")


class AttendanceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A deleted row's form is not validated: its month is checked here,
        # as stored, the same way as a delete on the attendance's own page.
        for form in self.deleted_forms:
            if form.instance.pk:
                attendance = Attendance.objects.select_related("event", "member").get(
                    pk=form.instance.pk
                )
                attendance.lock_check()


class AttendanceInline(RunByOnly, ScopedTabularInline):
    """The event's list; kept by those who run the event (``obj`` here)."""

    model = Attendance
    formset = AttendanceFormSet
    edit_roles = (Role.PROVINCE, Role.WARD)
    extra = 0
    fields = ("member", "status", "score", "certificate_date")
    autocomplete_fields = ("member",)
    formfield_overrides = LOCALISED_SCORE

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.keeps(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class TrainingEventForm(AreaOwnedForm):
    class Meta:
        model = TrainingEvent
        fields = (
            "course",
            "code",
            "starts_on",
            "ends_on",
            "place",
            "is_online",
            "province",
            "ward",
        )


@admin.register(TrainingEvent)
class TrainingEventAdmin(MonthLockedDeletes, AreaOwnedAdmin):
    form = TrainingEventForm
    inlines = [AttendanceInline]
    list_display = (
        "code",
        "course",
        "starts_on",
        "ends_on",
        "where",
        "province",
        "ward",
    )
    list_filter = (
        "course__provider",
        "course__mode",
        "is_online",
        ("ward", ONLY_USED),
    )
    list_select_related = ("course", "province", "ward")
    search_fields = ("code", "course__title", "place")
    autocomplete_fields = ("course", "province", "ward")
    date_hierarchy = "starts_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "course":
            kwargs["queryset"] = course_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def lock_check(self, event):
        event.delete_check()

    @admin.display(description=_("where"), ordering="place")
    def where(self, event):
        return _("online") if event.is_online and not event.place else event.place


class AttendanceForm(forms.ModelForm):
    user = None  # set per request by AttendanceAdmin.get_form

    class Meta:
        model = Attendance
        fields = ("event", "member", "status", "score", "certificate_date")

    def clean(self):
        if self.instance.pk:  # still as stored: a locked month's stays there
            self.instance.lock_check()
        return super().clean()

    def clean_event(self):
        event = self.cleaned_data.get("event")
        if event and not records_attendance(scope_for(self.user), event):
            raise ValidationError(
                _("The officials of %(ward)s record this event's attendance.")
                % {"ward": event.ward}
            )
        return event


@admin.register(Attendance)
class AttendanceAdmin(
    MonthLockedDeletes,
    RunByOnly,
    ScopedHistoryAdmin,
    ScopedImportExportMixin,
    ScopedModelAdmin,
):
    """Each member's place on a list; ward officials keep their members'."""

    def lock_check(self, attendance):
        attendance.lock_check()

    resource_classes = [AttendanceResource]
    edit_roles = (Role.PROVINCE, Role.WARD)
    form = AttendanceForm
    formfield_overrides = LOCALISED_SCORE
    list_display = (
        "member",
        "event",
        "status",
        "score",
        "certificate_date",
        "ward",
    )
    list_filter = (
        "status",
        "event__course__provider",
        ("event", ONLY_USED),
        ("member__ward", ONLY_USED),
    )
    list_select_related = ("member__ward", "event__course")
    search_fields = ("member__search_text", "event__code", "event__course__title")
    search_help_text = _("Member's name or phone, class code or course.")
    autocomplete_fields = ("event", "member")
    ordering = ("-event__starts_on", "event__code", "member__full_name")

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if scope_for(request.user).level == Level.WARD:
            filters = [item for item in filters if item != ("member__ward", ONLY_USED)]
        return filters

    def keeps(self, request, obj) -> bool:
        return obj is None or records_attendance(scope_for(request.user), obj.event)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = event_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description=_("ward"), ordering="member__ward")
    def ward(self, attendance):
        return attendance.member.ward


class MemberAttendanceInline(ScopedTabularInline):
    """A member's training history, read on the member's page."""

    model = Attendance
    extra = 0
    can_delete = False
    fields = ("event", "course", "starts_on", "status", "score", "certificate_date")
    readonly_fields = fields
    verbose_name = _("training")
    verbose_name_plural = _("training history")

    def has_view_permission(self, request, obj=None):
        # A member being added has no history, and the add form posts none.
        return obj is not None and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Scoped here rather than through InlineModelAdmin, whose check of the
        # view permission without a member would empty the list.
        return scope(
            Attendance.objects.select_related("event__course").order_by(
                "-event__starts_on"
            ),
            request.user,
        )

    @admin.display(description=_("course"))
    def course(self, attendance):
        return attendance.event.course

    @admin.display(description=_("starts on"))
    def starts_on(self, attendance):
        return attendance.event.starts_on


class WorkshopForm(forms.ModelForm):
    def clean(self):
        if self.instance.pk:  # still as stored: a locked month's stays there
            month_lock_check(ward_id=self.instance.ward_id, day=self.instance.held_on)
        return super().clean()


@admin.register(Workshop)
class WorkshopAdmin(MonthLockedDeletes, ScopedModelAdmin):
    form = WorkshopForm
    lock_day_field = "held_on"
    list_display = (
        "held_on",
        "topic",
        "audience",
        "team",
        "place",
        "attendees",
        "women",
        "elderly",
        "disability",
        "poor",
        "ward",
    )
    list_filter = ("topic", "audience", ("team", ONLY_USED), ("ward", ONLY_USED))
    list_select_related = ("team", "ward")
    search_fields = ("place", "team__name")
    autocomplete_fields = ("team",)
    date_hierarchy = "held_on"
    readonly_fields = ("recorded_by", "created_at")
    fieldsets = (
        (None, {"fields": ("team", "held_on", "place", "topic", "audience")}),
        (
            _("Attendees (counts only, no names)"),
            {"fields": ("attendees", "women", "elderly", "disability", "poor")},
        ),
        (_("Record"), {"fields": ("recorded_by", "created_at")}),
    )

    def save_model(self, request, obj, form, change):
        if change:
            # One write path: the edit goes through the service the API uses.
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            workshop_update(workshop=obj, **changes)
            return
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

"""Reports' figures in other apps' admin pages: campaign progress and the
households a campaign has still to reach.

Assistance and households sit below reports and may not import it, so reports
registers its own subclasses of their admins in their place (the admin loads
``reports.admin`` after theirs): one computation of coverage, read by the
dashboards and the admin alike.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assistance.admin import CampaignAdmin
from assistance.models import Campaign
from assistance.selectors import campaign_list
from households.admin import HouseholdAdmin
from households.models import Household

from .coverage import campaign_not_reached
from .indicators import campaign_progress

PRIORITY_SUFFIX = "-priority"


class CampaignNotReachedFilter(admin.SimpleListFilter):
    """Households of a campaign's area with no session in its days."""

    title = _("not reached during the campaign")
    parameter_name = "campaign_not_reached"

    def lookups(self, request, model_admin):
        choices = []
        for campaign in campaign_list(user=request.user):
            choices.append((str(campaign.pk), campaign.name))
            choices.append(
                (
                    "%s%s" % (campaign.pk, PRIORITY_SUFFIX),
                    gettext("%(campaign)s — priority households only")
                    % {"campaign": campaign.name},
                )
            )
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        priority_only = value.endswith(PRIORITY_SUFFIX)
        pk = value.removesuffix(PRIORITY_SUFFIX)
        # Only a campaign the user may see: another ward's lists nothing.
        campaign = (
            campaign_list(user=request.user).filter(pk=pk).first()
            if pk.isdigit()
            else None
        )
        if campaign is None:
            return queryset.none()
        return campaign_not_reached(queryset, campaign, priority_only)


class HouseholdCoverageAdmin(HouseholdAdmin):
    list_filter = (*HouseholdAdmin.list_filter, CampaignNotReachedFilter)


class CampaignProgressAdmin(CampaignAdmin):
    list_display = (*CampaignAdmin.list_display, "progress")
    readonly_fields = ("progress",)

    @admin.display(description=_("progress"))
    def progress(self, campaign):
        if campaign is None or campaign.pk is None:
            return "–"
        households = reverse("admin:households_household_changelist")
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}",
                (
                    (target_line(target, households),)
                    for target in campaign_progress(campaign)
                ),
            )
            or "–"
        )


def target_line(target: dict, households_url: str) -> str:
    """ "Label: count / target (share)", and for a household target the
    households still to reach, linked to their list."""
    line = format_html(
        "{}: {} / {} ({})",
        target["label"],
        target["count"],
        target["target"],
        "–" if target["share"] is None else "%d%%" % round(target["share"] * 100),
    )
    if target["not_reached"] is None:
        return line
    return format_html(
        '{} · <a href="{}?campaign_not_reached={}">{}</a>',
        line,
        households_url,
        target["not_reached"],
        ngettext(
            "%(count)s household still to reach",
            "%(count)s households still to reach",
            target["remaining"],
        )
        % {"count": target["remaining"]},
    )


for model, model_admin in (
    (Household, HouseholdCoverageAdmin),
    (Campaign, CampaignProgressAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)

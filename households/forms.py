from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .duplicates import household_duplicates

# A change of these may make the household repeat another.
COMPARED_FIELDS = {"ward", "hamlet", "head_name", "phone", "address"}


class DuplicateCheckForm(forms.ModelForm):
    """Refuses, once, to save a household that may repeat one of the ward's;
    the user then saves it anyway or opens the one already registered.

    Built per request by the admin, which sets ``user``: the candidates come
    through that user's scope.
    """

    user = None
    confirm_duplicates = forms.BooleanField(
        label=_("Save the new household anyway"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        self.duplicates = []
        if self.errors or cleaned.get("confirm_duplicates"):
            return cleaned
        if self.instance.pk is not None and not (
            COMPARED_FIELDS & set(self.changed_data)
        ):
            return cleaned
        ward, hamlet = cleaned.get("ward"), cleaned.get("hamlet")
        if ward is None or hamlet is None:
            return cleaned
        self.duplicates = household_duplicates(
            user=self.user,
            ward_id=ward.pk,
            hamlet_id=hamlet.pk,
            head_name=cleaned.get("head_name", ""),
            phone=cleaned.get("phone", ""),
            address=cleaned.get("address", ""),
            exclude_pk=self.instance.pk,
        )
        if self.duplicates:
            raise ValidationError(
                gettext(
                    "This household may already be registered in the ward. "
                    "Check the households listed below: open the one that is "
                    "the same family, or save this one anyway."
                ),
                code="likely_duplicate",
            )
        return cleaned

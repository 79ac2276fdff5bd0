"""Incremental pulls: one cursor pagination for every list a client syncs."""

from django.utils.translation import gettext
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

# What a pull may say besides its filters.
PULL_PARAMETERS = {"cursor", "page_size", "format"}


class PageSize:
    """A page size the API cannot use is a 400 naming it, never a silent
    default; the schema states the sizes it takes."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        try:
            size = int(given)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Give a whole number from 1 to %(most)d.")
                        % {"most": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"].update(minimum=1)
        return parameters


class PullPagination(PageSize, CursorPagination):
    """Newest first by primary key, which is unique and always increasing: a
    pull never skips a row, nor repeats one, while rows are inserted.

    A cursor the API never gave is a 400 naming it, never a 404.
    """

    ordering = "-id"
    page_size = 50

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        gettext(
                            "This cursor is not one the API gave: start the pull "
                            "again without it."
                        )
                    ]
                }
            ) from error


def parameters_check(request, filters=()) -> None:
    """Refuse query parameters the list does not know, naming each (a typo in
    a filter would otherwise pull everything)."""
    unknown = sorted(set(request.query_params) - PULL_PARAMETERS - set(filters))
    if unknown:
        raise ValidationError(
            {name: [gettext("This list has no such parameter.")] for name in unknown}
        )

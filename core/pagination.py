"""Incremental pulls: one cursor pagination for every list a client syncs."""

from django.utils.translation import gettext
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from .serializers import TombstoneOutput

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


def parameters_check(request, known=(), *, extra=PULL_PARAMETERS) -> None:
    """Refuse query parameters the API does not know, naming each (a typo in
    a filter would otherwise pull everything), and a parameter given empty or
    more than once: it would be read as missing, or as only one of its values.
    """
    query = request.query_params
    problems = {}
    for name in sorted(set(query)):
        if name not in extra and name not in known:
            problems[name] = [gettext("This list has no such parameter.")]
        elif len(query.getlist(name)) > 1:
            problems[name] = [gettext("Give this parameter once.")]
        elif query[name] == "":
            problems[name] = [gettext("Give a value, or leave the parameter out.")]
    if problems:
        raise ValidationError(problems)


class Interleaved:
    """Live rows and the tombstones of deleted ones, paged as one list.

    A tombstone keeps the id of the row it stands for, and ids are never
    reused: ordered by id, the two tables read as one list, and the cursor's
    ``id < position`` holds for both, so a pull neither skips nor repeats.
    Only what :class:`PullPagination` asks of a queryset is answered.
    """

    def __init__(self, *querysets, ordering: tuple[str, ...] = ()):
        self.querysets = querysets
        self.ordering = ordering

    def order_by(self, *ordering):
        return Interleaved(
            *(rows.order_by(*ordering) for rows in self.querysets), ordering=ordering
        )

    def filter(self, *args, **kwargs):
        return Interleaved(
            *(rows.filter(*args, **kwargs) for rows in self.querysets),
            ordering=self.ordering,
        )

    def __getitem__(self, window: slice) -> list:
        (field,) = self.ordering  # one unique field, as the cursor needs
        name = field.lstrip("-")
        # The first ``stop`` of the merged list are among each one's first.
        rows = [row for part in self.querysets for row in part[: window.stop]]
        rows.sort(key=lambda row: getattr(row, name), reverse=field.startswith("-"))
        return rows[window]


def pull_list(view, tombstones):
    """The list answer of ``view``: its filtered rows, cursor-paged.

    A pull (``updated_after``) also gets the tombstones of the rows deleted
    since, filtered alike and placed among the live rows by id; a plain list
    is live rows only. ``tombstones`` is already in the caller's scope.
    """
    request = view.request
    rows = view.filter_queryset(view.get_queryset())
    if "updated_after" in request.query_params:
        gone = view.filterset_class(
            request.query_params, queryset=tombstones, request=request
        ).qs
        rows = Interleaved(rows, gone)
    page = view.paginate_queryset(rows)
    live = view.get_serializer(
        [row for row in page if not isinstance(row, tombstones.model)], many=True
    ).data
    shown = iter(live)
    gone_shown = TombstoneOutput()
    return view.get_paginated_response(
        [
            gone_shown.to_representation(row)
            if isinstance(row, tombstones.model)
            else next(shown)
            for row in page
        ]
    )


def pull_list_schema(*, summary: str, rows: str, component: str, item):
    """The schema of a list that :func:`pull_list` answers: live ``rows``
    (``item``), and with updated_after their tombstones among them."""
    return extend_schema(
        summary=summary,
        description=(
            "%(rows)s in the caller's scope, newest first, cursor-paged. A pull "
            "with updated_after also lists the %(lower)s deleted since, as "
            'tombstones ({"id", "client_uuid", "deleted": true, "updated_at": '
            "the deletion time}) among the live %(lower)s."
        )
        % {"rows": rows.capitalize(), "lower": rows},
        responses=PolymorphicProxySerializer(
            component_name=component,
            serializers=[item, TombstoneOutput],
            resource_type_field_name=None,
            many=True,
        ),
    )

"""Admin lists searched as the field search ranks: the best match first."""

from django.db.models import Case, IntegerField, Q, Value, When

from .text import match_rank

# Rows ranked by name before a search's list is ordered; the rest rank last.
SEARCH_RANK_CANDIDATES = 1000
SEARCH_RANK = "search_rank"


def search_ranked(queryset, field: str, words: list[str]):
    """The rows ranked as the field search ranks them (``core.text.match_rank``
    on ``field``: the exact name, whole words in order, word starts, the
    rest), best first, then in the queryset's own order (the changelist's,
    which it sets before it searches).

    Only a row whose ``search_text`` has every word at a word start can rank
    before the rest, so only those rows' names are read and ranked.
    """
    starts = queryset
    for word in words:
        starts = starts.filter(
            Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
        )
    ranked: dict[int, list] = {0: [], 1: [], 2: []}
    names = starts.order_by().values_list("pk", field)[:SEARCH_RANK_CANDIDATES]
    for pk, name in names:
        rank = match_rank(name, words)
        if rank in ranked:
            ranked[rank].append(pk)
    rank = Case(
        *[When(pk__in=pks, then=Value(rank)) for rank, pks in ranked.items() if pks],
        default=Value(3),
        output_field=IntegerField(),
    )
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.alias(**{SEARCH_RANK: rank}).order_by(SEARCH_RANK, *ordering)

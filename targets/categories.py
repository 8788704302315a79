"""Named categories for breakdowns: finding the category that words name, and the lists to offer.

Words match a dimension or a category whatever their case, by its name or one of its synonyms
(``"black"``, ``"Black British"`` and ``"Black, Black British, Black Welsh, Caribbean or African"``
are one group). Groups that no list names (from an old workbook, or free text recorded before
categories existed) go into the dimension's custom list, created when first needed, so an old
workbook imports unchanged and its groups can be offered afterwards; a dimension nobody has named
yet is created the same way.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from targets.models import Category, CategoryList, Dimension

CUSTOM_LIST = "Custom"


def _key(words: str) -> str:
    return " ".join((words or "").split()).casefold()


def _names(name: str, synonyms: str) -> list[str]:
    return [_key(name)] + [_key(s) for s in (synonyms or "").split(";") if s.strip()]


@dataclass
class Catalogue:
    """Every dimension with its lists and categories, fetched once (three queries)."""

    dimensions: list[Dimension] = field(default_factory=list)

    @classmethod
    def load(cls) -> "Catalogue":
        categories = Prefetch("categories", queryset=Category.objects.order_by("position", "id"))
        lists = Prefetch(
            "lists",
            queryset=CategoryList.objects.order_by("is_custom", "position", "id").prefetch_related(
                categories
            ),
        )
        return cls(list(Dimension.objects.order_by("position", "name").prefetch_related(lists)))

    def lists(self) -> list[CategoryList]:
        return [cl for d in self.dimensions for cl in d.lists.all() if cl.categories.all()]

    def list_by_id(self, pk) -> CategoryList | None:
        return next((cl for cl in self.lists() if str(cl.pk) == str(pk)), None)

    def not_given_ids(self) -> set[int]:
        """The categories that are not groups: "Not known", "Prefer not to say"."""
        return {c.pk for cl in self.lists() for c in cl.categories.all() if not c.is_group}

    def named_category(self, indicator):
        """The category of an indicator's named group (the one its equity share is for)."""
        return self.category(getattr(indicator, "dimension", ""), getattr(indicator, "group", ""))

    def dimension(self, words: str) -> Dimension | None:
        key = _key(words)
        if not key:
            return None
        return next((d for d in self.dimensions if key in _names(d.name, d.synonyms)), None)

    def category(self, dimension_words: str, group_words: str, list_name: str = ""):
        """The category the words name in that dimension (in the named list, if one is given):
        by name first, in any list, then by synonym; None when none does."""
        dimension = self.dimension(dimension_words)
        key = _key(group_words)
        if dimension is None or not key:
            return None
        lists = list(dimension.lists.all())
        if list_name:
            lists = [cl for cl in lists if _key(cl.name) == _key(list_name)] or lists
        for by_synonym in (False, True):
            for category_list in lists:
                for category in category_list.categories.all():
                    names = _names(category.name, category.synonyms)
                    if (key in names[1:]) if by_synonym else (key == names[0]):
                        return category
        return None

    def list_of(self, dimension_words: str, group_words: str) -> CategoryList | None:
        category = self.category(dimension_words, group_words)
        if category is None:
            return None
        return next(cl for cl in self.lists() if cl.pk == category.category_list_id)


def find_or_add(
    catalogue: Catalogue,
    dimension_words: str,
    group_words: str,
    *,
    list_name: str = "",
    user,
    reason: str,
):
    """The category the words name, adding it (and its dimension, and the dimension's custom
    list, or the list named) when nothing names it yet. The catalogue is reloaded after an
    addition."""
    found = catalogue.category(dimension_words, group_words, list_name)
    if found is not None:
        return found
    dimension = catalogue.dimension(dimension_words)
    if dimension is None:
        dimension = _tracked(
            Dimension(name=_tidy(dimension_words, 100), position=len(catalogue.dimensions) + 1),
            user,
            reason,
        )
    lists = list(dimension.lists.all())
    wanted = _key(list_name) if list_name else _key(CUSTOM_LIST)
    custom = next((cl for cl in lists if _key(cl.name) == wanted), None)
    if custom is None:
        custom = _tracked(
            CategoryList(
                dimension=dimension,
                name=_tidy(list_name, 100) if list_name else CUSTOM_LIST,
                is_custom=wanted == _key(CUSTOM_LIST),
                position=len(lists) + 1,
            ),
            user,
            reason,
        )
    category = _tracked(
        Category(
            category_list=custom,
            name=_tidy(group_words, 255),
            position=custom.categories.count() + 1,
        ),
        user,
        reason,
    )
    catalogue.dimensions = Catalogue.load().dimensions
    return category


def _tidy(words: str, length: int) -> str:
    words = " ".join(words.split())[:length]
    return words[:1].upper() + words[1:]


def _tracked(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj

"""API filter backends shared by every list endpoint."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter


class StrictSearchFilter(SearchFilter):
    """``?search=`` is honoured on lists that declare ``search_fields`` and refused (400) on the others, instead of
    being ignored silently (a caller would take the unfiltered list for search results)."""

    def filter_queryset(self, request, queryset, view):
        if self.get_search_terms(request) and not getattr(view, "search_fields", None):
            raise ValidationError({self.search_param: [_("该列表不支持 search 参数，请使用列表提供的筛选参数。")]})
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


BOOLEAN_VALUES = {"true", "false", "1", "0"}


@functools.cache
def _boolean_filters(view_class) -> list[str]:
    """Names of the boolean filters of a view's filter set (declared or from ``filterset_fields``)."""
    import django_filters
    from django_filters.rest_framework import DjangoFilterBackend

    backends = getattr(view_class, "filter_backends", None) or []
    if not any(isinstance(b, type) and issubclass(b, DjangoFilterBackend) for b in backends):
        return []
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is None and getattr(view_class, "filterset_fields", None):
        try:
            queryset = view_class.queryset
            if queryset is None:
                queryset = view_class.serializer_class.Meta.model._default_manager.none()
            filterset = DjangoFilterBackend().get_filterset_class(view_class(), queryset)
        except Exception:  # noqa: BLE001  (a view without a class-level queryset: nothing to check here)
            return []
    filters = getattr(filterset, "base_filters", {}) if filterset else {}
    return [name for name, f in filters.items() if isinstance(f, django_filters.BooleanFilter)]


class SearchParameterMiddleware:
    """``?search=`` on an API list that does not search (no SearchFilter or no ``search_fields``, whatever its own
    ``filter_backends``) answers 400 instead of the unfiltered list; so does a boolean filter given anything but
    true/false (``is_confirmed=-1`` used to be ignored and answer the unfiltered list)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/") or not request.GET:
            return None
        view_class = getattr(view_func, "cls", None)
        if view_class is None:
            return None
        from django.http import JsonResponse

        for name in _boolean_filters(view_class):
            value = request.GET.get(name)
            if value not in (None, "") and value.lower() not in BOOLEAN_VALUES:
                message = _("参数 %(name)s 应为 true 或 false。") % {"name": name}
                return JsonResponse({name: [message]}, status=400, json_dumps_params={"ensure_ascii": False})
        if not request.GET.get(SearchFilter.search_param):
            return None
        backends = getattr(view_class, "filter_backends", None) or []
        searches = getattr(view_class, "search_fields", None) and any(
            isinstance(backend, type) and issubclass(backend, SearchFilter) for backend in backends
        )
        filterset = getattr(view_class, "filterset_class", None)
        if searches or SearchFilter.search_param in (getattr(filterset, "base_filters", None) or {}):
            return None  # a SearchFilter, or a filter set with its own "search" filter, honours it
        if SearchFilter.search_param in (getattr(view_class, "filterset_fields", None) or ()):
            return None
        message = _("该列表不支持 search 参数，请使用列表提供的筛选参数。")
        return JsonResponse(
            {SearchFilter.search_param: [message]}, status=400, json_dumps_params={"ensure_ascii": False}
        )

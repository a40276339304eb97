"""API filter backends shared by every list endpoint."""

from __future__ import annotations

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


class SearchParameterMiddleware:
    """``?search=`` on an API list that does not search (no SearchFilter or no ``search_fields``, whatever its own
    ``filter_backends``) answers 400 instead of the unfiltered list."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/") or not request.GET.get(SearchFilter.search_param):
            return None
        view_class = getattr(view_func, "cls", None)
        if view_class is None:
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
        from django.http import JsonResponse

        message = _("该列表不支持 search 参数，请使用列表提供的筛选参数。")
        return JsonResponse({SearchFilter.search_param: [message]}, status=400, json_dumps_params={"ensure_ascii": False})

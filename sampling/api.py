"""Sampling API: each module under sampling/api_views registers its viewsets."""

from sampling.api_views import publication, results, statistics, tasks


def register(router) -> None:
    for module in (tasks, results, publication, statistics):
        module.register(router)

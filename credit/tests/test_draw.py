"""分类监管: the classes credit writes back make the sampling draw favour D enterprises."""

import random

from core.models import Enterprise
from credit.services.classes import recompute_classes
from credit.services.records import take_up_facts
from credit.tests.factories import enterprise, make_fact


def test_next_draw_favours_d_enterprises(regions):
    from django.utils import timezone

    from sampling.services.draw import credit_weights, pick_weighted, weight_of

    today = timezone.localdate()
    risky = [enterprise() for _ in range(20)]
    plain = [enterprise() for _ in range(20)]
    for firm in risky:
        make_fact(firm, "recalls.defect_concealed", today)
    take_up_facts()
    recompute_classes()
    classes = dict(Enterprise.objects.values_list("pk", "credit_class"))
    assert {classes[f.pk] for f in risky} == {"D"} and {classes[f.pk] for f in plain} == {"B"}
    weights = credit_weights()
    pool = [(pk, weight_of(classes[pk], weights)) for pk in sorted(classes)]
    risky_ids = {f.pk for f in risky}
    drawn = risky_drawn = 0
    for seed in range(200):
        selected = pick_weighted(random.Random(seed), pool, 10)
        drawn += len(selected)
        risky_drawn += sum(1 for pk in selected if pk in risky_ids)
    # Half the pool is D; with weight 4 against 1 the D share of the draw is far above one half.
    assert risky_drawn / drawn > 0.7

"""Work lists after the draw: the inspector's drawn enterprises, the institution's 收样 / 待检 / 待确认 queues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from sampling import policies
from sampling.forms.queues import ReceiveForm
from sampling.selectors import samples_visible_to
from sampling.selectors_queues import (
    drawn_work_for,
    queue_counts,
    results_to_confirm,
    samples_to_receive,
    samples_to_test,
)
from sampling.services.samples import sample_receive

QUEUE_LABELS = {
    "receive": gettext_lazy("待收样"),
    "test": gettext_lazy("待检"),
    "confirm": gettext_lazy("待确认结果"),
}


@login_required
def drawn_work(request):
    """检查人员: the enterprises the draws assigned to me, what to sample and by when."""
    if not policies.can_see_drawn_work(request.user):
        raise PermissionDenied
    rows = drawn_work_for(request.user)
    return render(
        request,
        "sampling/drawn_work.html",
        {
            "todo": [r for r in rows if r.sample is None],
            "done": [r for r in rows if r.sample is not None],
            "can_register": policies.can_register_samples(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def lab_queue(request):
    """承检机构: samples to receive, to test, and results to confirm, deadline first."""
    if not policies.can_see_institution_queues(request.user):
        raise PermissionDenied
    queue = request.GET.get("queue", "receive")
    if queue not in QUEUE_LABELS:
        queue = "receive"
    rows = {"receive": samples_to_receive, "test": samples_to_test, "confirm": results_to_confirm}[queue](request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = queue_counts(request.user)
    return render(
        request,
        "sampling/lab_queue.html",
        {
            "queue": queue,
            "tabs": [(code, label, counts[code]) for code, label in QUEUE_LABELS.items()],
            "page": page,
            "query": f"queue={queue}",
            "institution": request.user.institution,
        },
    )


@login_required
def sample_receive_view(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_receive_sample(request.user, sample):
        if sample.received_on is not None:
            messages.info(request, _("该样品已于 %(on)s 登记收样。") % {"on": sample.received_on})
            return redirect("sampling:sample_detail", pk=sample.pk)
        raise PermissionDenied
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sample_receive(
                user=request.user,
                sample=sample,
                received_on=form.cleaned_data["received_on"],
                condition=form.cleaned_data["condition"],
            )
        except DomainPermissionDenied:
            raise PermissionDenied
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("样品 %(no)s 已登记收样，已转入待检。") % {"no": sample.sample_no})
            return redirect(_lab_url("receive"))
    return render(request, "sampling/sample_receive.html", {"sample": sample, "form": form})


def _lab_url(queue: str) -> str:
    from django.urls import reverse

    return reverse("sampling:lab_queue") + f"?queue={queue}"


urlpatterns = [
    path("work/drawn/", drawn_work, name="drawn_work"),
    path("work/lab/", lab_queue, name="lab_queue"),
    path("samples/<int:pk>/receive/", sample_receive_view, name="sample_receive"),
]

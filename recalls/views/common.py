"""Helpers shared by the recall pages: running a service behind a form, finding a producer by USCC."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import Enterprise


def producer_by_uscc(uscc: str) -> Enterprise:
    uscc = (uscc or "").strip().upper()
    if not uscc:
        raise DomainError(_("生产者统一社会信用代码：不能为空。"))
    enterprise = Enterprise.objects.select_related("region").filter(uscc=uscc).first()
    if enterprise is None:
        raise DomainError(_("生产者统一社会信用代码：未找到代码为“%(uscc)s”的企业。") % {"uscc": uscc})
    return enterprise


def form_action(
    request,
    *,
    form,
    title: str,
    intro: str = "",
    back: str,
    run: Callable,
    done: str,
    template: str = "recalls/action_form.html",
    extra: dict | None = None,
):
    """GET shows the form; a valid POST runs the service; a DomainError is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(result if isinstance(result, str) else back)
    context = {"form": form, "title": title, "intro": intro, "back": back, **(extra or {})}
    return render(request, template, context, status=400 if request.method == "POST" else 200)

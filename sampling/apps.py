from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def followup_due_items(user):
    """Home page: open post-processing steps of the user's jurisdiction that are overdue or due soon."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from sampling.selectors import followups_visible_to
    from sampling.services.followups import FOLLOWUP_ROLES

    if not user.is_authenticated or not user.has_role(*FOLLOWUP_ROLES):
        return []
    from core.home import DueItem

    items = []
    overdue = list(followups_visible_to(user, state="overdue")[:20])
    soon = list(followups_visible_to(user, state="due_soon")[:20])
    for followup in overdue + soon:
        items.append(
            DueItem(
                title=gettext("%(sample_no)s %(enterprise)s：%(step)s")
                % {
                    "sample_no": followup.sample.sample_no,
                    "enterprise": followup.sample.enterprise.name,
                    "step": followup.get_step_display(),
                },
                url=reverse("sampling:followup_complete", args=[followup.pk]),
                due_on=followup.due_on,
                category=gettext("后处理"),
            )
        )
    return items


class SamplingConfig(AppConfig):
    name = "sampling"
    verbose_name = _("抽查")

    def ready(self) -> None:
        from core.home import register_due_provider

        register_due_provider(followup_due_items)

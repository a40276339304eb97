"""The 收样 form of the testing institution."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReceiveForm(forms.Form):
    received_on = forms.DateField(
        label=_("收样日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    condition = forms.CharField(
        label=_("样品状态"),
        max_length=255,
        help_text=_("如：包装完好、封条完整、数量与抽样单一致"),
        widget=forms.TextInput(attrs={"placeholder": _("包装完好、封条完整")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

"""The record of a notice's service (送达): how, when, to whom, and the receipt or tracking number."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampling.forms.results import DATE_WIDGET
from sampling.models_notices import ServiceMethod


class NoticeServiceForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    served_on = forms.DateField(label=_("送达日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    recipient = forms.CharField(label=_("受送达人（签收人）"), max_length=100)
    receipt_no = forms.CharField(label=_("回执/邮件单号"), max_length=64, required=False)

"""Admin of early warning: each signal's rule, switch and parameters (one typed field per declared parameter,
Chinese labels, bounds checked), and a read-mostly view of the warnings (their workflow runs in the services)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from credit.models_warnings import EarlyWarning, WarningSignal
from credit.warnings.parameters import clean_parameters
from credit.warnings.signals import SIGNALS

_FIELD_TYPES = {int: forms.IntegerField, float: forms.FloatField, bool: forms.BooleanField, str: forms.CharField}


class WarningSignalForm(forms.ModelForm):
    class Meta:
        model = WarningSignal
        fields = ["code", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.instance.code if self.instance.pk else (self.data.get("code") or self.initial.get("code"))
        self.signal = SIGNALS.get(code)
        if self.instance.pk:
            self.fields["code"].disabled = True
        if self.signal is None:
            return
        stored = self.instance.parameters or {}
        for param in self.signal.params:
            options = {"label": param.label, "help_text": param.help, "required": param.kind is not bool}
            if param.kind in (int, float):
                options.update(min_value=param.minimum, max_value=param.maximum)
            field = _FIELD_TYPES[param.kind](**options)
            field.initial = stored.get(param.name, param.default)
            self.fields[f"param_{param.name}"] = field

    def clean(self):
        cleaned = super().clean()
        if self.signal is not None:
            values = {p.name: cleaned.get(f"param_{p.name}") for p in self.signal.params}
            values = {k: v for k, v in values.items() if v is not None}
            try:
                self.instance.parameters = clean_parameters(self.signal.params, values)
            except DomainError as error:
                raise forms.ValidationError(str(error))
        return cleaned


@admin.register(WarningSignal)
class WarningSignalAdmin(admin.ModelAdmin):
    form = WarningSignalForm
    list_display = ["code", "enabled", "updated_at", "updated_by"]
    list_editable = ["enabled"]
    readonly_fields = ["rule"]

    @admin.display(description=_("规则"))
    def rule(self, obj) -> str:
        signal = SIGNALS.get(obj.code)
        return str(signal.rule) if signal else ""

    def get_fields(self, request, obj=None):
        form = self.get_form(request, obj)(instance=obj)
        return ["code", "rule", "enabled", *[name for name in form.fields if name.startswith("param_")]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["code", "enabled"]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        from credit.warnings.services import ensure_signal_settings

        ensure_signal_settings()  # one row per declared signal, with its defaults
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request) -> bool:
        return False  # the signals are declared in code; their rows are created from the declarations

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    list_display = ["subject_name", "signal", "level", "state", "region", "period", "updated_at"]
    list_filter = ["signal", "level", "state"]
    search_fields = ["subject_name", "subject_code"]
    list_select_related = ["region"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

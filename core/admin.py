"""Admin pages for reference data, users, the working-day calendar, the legal time limits (法定期限) and the
checked rule settings (django-constance)."""

from collections.abc import Callable

from constance.admin import Config, ConstanceAdmin, ConstanceForm
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.models import (
    CalendarYear,
    Enterprise,
    Institution,
    ProductGroup,
    ProductType,
    Region,
    TestItem,
    User,
    WorkdayOverride,
)
from core.models_timelimits import TimeLimit
from core.timelimits import validate_limit_values


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent", "zone", "is_active", "retired_on"]
    list_filter = ["level", "zone", "is_active"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "industry", "size", "status", "credit_class"]
    list_filter = ["size", "status", "credit_class"]
    search_fields = ["name", "=uscc"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]
    readonly_fields = ["created_at", "updated_at"]


class ProductTypeInline(admin.TabularInline):
    model = ProductType
    fields = ["code", "name", "risk_level", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]
    inlines = [ProductTypeInline]


class TestItemInline(admin.TabularInline):
    model = TestItem
    fields = ["order", "name", "standard", "requirement", "unit"]
    extra = 1


@admin.register(ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "risk_level", "is_active"]
    list_filter = ["group", "risk_level", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["group"]
    inlines = [TestItemInline]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "accreditation_no", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "accreditation_no"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "jurisdiction", "institution", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation"]
    raw_id_fields = ["jurisdiction", "institution"]
    list_select_related = ["jurisdiction", "institution"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("岗位与管辖"), {"fields": ["role", "jurisdiction", "organisation", "institution", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("岗位与管辖"), {"fields": ["role", "jurisdiction", "organisation", "institution", "phone"]}),
    ]

    @admin.display(description=_("姓名"))
    def display_name(self, obj: User) -> str:
        return obj.display_name


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]


class TimeLimitForm(forms.ModelForm):
    class Meta:
        model = TimeLimit
        fields = ["name", "amount", "max_amount", "unit", "start_event", "basis", "is_assumed", "note"]

    def clean(self):
        cleaned = super().clean()
        try:
            validate_limit_values(
                amount=cleaned.get("amount"), max_amount=cleaned.get("max_amount"), unit=cleaned.get("unit") or ""
            )
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    """Administrators change a limit's amount here (the change is in the audit trail: TimeLimit is tracked).
    Running deadlines keep the amount they started with."""

    form = TimeLimitForm
    list_display = ["name", "key", "amount_column", "unit", "start_event", "basis_column", "is_assumed", "updated_at"]
    list_filter = ["unit", "is_assumed"]
    search_fields = ["key", "name", "basis"]
    readonly_fields = ["key", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "name"]}),
        (_("期限"), {"fields": ["amount", "max_amount", "unit", "start_event"]}),
        (_("依据"), {"fields": ["basis", "is_assumed", "note"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("期限"))
    def amount_column(self, obj):
        return obj.amount_display

    @admin.display(description=_("法律依据"))
    def basis_column(self, obj):
        return obj.basis_display

    def has_add_permission(self, request):
        # The limits are the platform's (core/data/time_limits.py); their keys are used in code.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Cross-field checks of the rule settings; apps register theirs from AppConfig.ready() (core names no app).
CONFIG_CHECKS: list[Callable[[dict], None]] = []


def register_config_check(check: Callable[[dict], None]) -> None:
    """``check(cleaned_data)`` raises ``forms.ValidationError`` (a Chinese message naming the setting)."""
    if check not in CONFIG_CHECKS:
        CONFIG_CHECKS.append(check)


class CheckedConstanceForm(ConstanceForm):
    def clean(self):
        cleaned = super().clean()
        for check in CONFIG_CHECKS:
            check(cleaned)
        return cleaned


class CheckedConstanceAdmin(ConstanceAdmin):
    change_list_form = CheckedConstanceForm


admin.site.unregister([Config])
admin.site.register([Config], CheckedConstanceAdmin)

"""Admin pages for reference data, users and the working-day calendar."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "zone", "is_active", "retired_on"]
    list_filter = ["level", "zone", "is_active"]
    search_fields = ["code", "name"]
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

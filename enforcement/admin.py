"""Administrators maintain the legal bases of penalties and the bureaus' names and number abbreviations;
cases are read-only here (every change goes through the services)."""

from django.contrib import admin

from enforcement.models import Bureau, LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ("law", "article", "summary", "violation_type", "is_active", "order")
    list_filter = ("law", "is_active")
    search_fields = ("law", "article", "summary", "violation_type")
    list_editable = ("is_active", "order")


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("region", "name", "abbreviation", "phone")
    search_fields = ("name", "abbreviation", "region__code", "region__name")
    raw_id_fields = ("region",)

"""Reference data shared by every app: regions, enterprises, the product catalogue, users."""

from __future__ import annotations

import time

import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.lookups import Bigrams
from core.validators import validate_region_code, validate_uscc

NATIONAL_CODE = "000000"


class RegionLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Zone(models.TextChoices):
    EAST = "east", _("东部")
    CENTRAL = "central", _("中部")
    WEST = "west", _("西部")
    NONE = "", _("不适用")


class Region(models.Model):
    """A GB/T 2260 administrative division; the code is the key (PPCCDD)."""

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("名称"), max_length=64)
    # Shown on English pages (core.region_names computes it when the reference data is loaded; editable).
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True, default="", db_default="")
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    zone = models.CharField(_("经济区域"), max_length=8, choices=Zone.choices, blank=True, default="")
    is_active = models.BooleanField(_("现行有效"), default=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{6}$"), name="region_code_six_digits"),
            models.CheckConstraint(condition=Q(level__in=RegionLevel.values), name="region_level_known"),
        ]

    def __str__(self) -> str:
        # Choice lists (the public search's provinces and cities) read in the page's language.
        return self.display_name

    @property
    def scope_prefix(self) -> str:
        """The code prefix shared by this region and every region below it."""
        if self.level == RegionLevel.NATIONAL:
            return ""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.CITY:
            return self.code[:4]
        return self.code

    @property
    def display_name(self) -> str:
        """The name in the page's language: 芙蓉区, or "Furong District" on an English page."""
        # Only the name, name_en and code are read, so lists that load those columns need no more queries.
        if _chinese_active():
            return self.name
        if self.name_en:
            return self.name_en
        return gettext("全国") if self.code == NATIONAL_CODE else self.name

    @property
    def display_full_name(self) -> str:
        """湖南省长沙市芙蓉区, or "Furong District, Changsha, Hunan" on an English page."""
        if _chinese_active():
            return self.full_name
        return region_english_full_names().get(self.code) or self.display_name

    @property
    def full_name(self) -> str:
        """湖南省长沙市芙蓉区: from the per-process table of every region's full name, so that lists need not
        join the parent chain (three self-joins cost more to plan than the query takes to run)."""
        names = region_full_names()
        if self.code not in names:  # a region created since the table was read
            forget_region_names()
            names = region_full_names()
        return names.get(self.code, self.name)


# Every region's full name, kept in each process: regions change only when the reference data is reloaded
# (load_regions forgets them; other processes pick the change up within REGION_NAMES_TTL seconds).
REGION_NAMES_TTL = 300
_region_names: dict[str, str] = {}
_region_names_loaded = 0.0


_region_english_names: dict[str, str] = {}


def _chinese_active() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def forget_region_names() -> None:
    global _region_names_loaded
    _region_names.clear()
    _region_english_names.clear()
    _region_names_loaded = 0.0


def region_english_full_names() -> dict[str, str]:
    """{code: English full name}, smallest first: 430102 → "Furong District, Changsha, Hunan" (a region without an
    English name leaves its part out). Read with the Chinese table, kept as long."""
    _load_region_names()
    return _region_english_names


def region_full_names() -> dict[str, str]:
    """{code: full name} of every region, e.g. 430102 → 湖南省长沙市芙蓉区 (the national root → "")."""
    _load_region_names()
    return _region_names


def _load_region_names() -> None:
    """Both tables from one read of the regions, once every REGION_NAMES_TTL seconds in each process."""
    global _region_names_loaded
    if _region_names and time.monotonic() - _region_names_loaded <= REGION_NAMES_TTL:
        return
    rows = {
        code: (name, name_en, parent, level)
        for code, name, name_en, parent, level in Region.objects.values_list(
            "code", "name", "name_en", "parent_id", "level"
        )
    }
    chinese, english = {}, {}
    for code in rows:
        chain, node = [], code  # the region, then its parents up to (not including) the national root
        while node is not None and node in rows and rows[node][3] != RegionLevel.NATIONAL:
            chain.append(rows[node])
            node = rows[node][2]
        chinese[code] = "".join(name for name, *_rest in reversed(chain))
        english[code] = ", ".join(name_en for _name, name_en, *_rest in chain if name_en)
    _region_names.clear()
    _region_names.update(chinese)
    _region_english_names.clear()
    _region_english_names.update(english)
    _region_names_loaded = time.monotonic()


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("存续")
    SUSPENDED = "suspended", _("停业整顿")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")


class CreditClass(models.TextChoices):
    A = "A", _("A 类（低风险）")
    B = "B", _("B 类（一般风险）")
    C = "C", _("C 类（较高风险）")
    D = "D", _("D 类（高风险）")


# Imports create enterprises by the thousand: their history is recorded per statement, as the batches' are
# (sampling.models.Sample).
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), level=pghistory.Statement)
class Enterprise(models.Model):
    """A supervised producer or seller, identified by its unified social credit code."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="enterprises")
    industry = models.CharField(_("行业"), max_length=64, blank=True)
    size = models.CharField(_("企业规模"), max_length=8, choices=EnterpriseSize.choices)
    status = models.CharField(
        _("经营状态"), max_length=12, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )
    # Written by the credit app; the sampling draw reads it. Empty means not yet rated (treated as B).
    credit_class = models.CharField(
        _("信用风险分类"), max_length=1, choices=CreditClass.choices, blank=True, default=""
    )
    # What it makes or sells (产品线): narrows the draw's candidates to the task's products. Filled by staff,
    # the demo and imports (a batch sampled under a product type adds that type).
    product_lines = models.ManyToManyField(
        "core.ProductType", verbose_name=_("主要产品"), blank=True, related_name="producers"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], name="enterprise_uscc_unique"),
            models.CheckConstraint(condition=Q(size__in=EnterpriseSize.values), name="enterprise_size_known"),
            models.CheckConstraint(condition=Q(status__in=EnterpriseStatus.values), name="enterprise_status_known"),
            models.CheckConstraint(
                condition=Q(credit_class__in=["", "A", "B", "C", "D"]), name="enterprise_credit_class_known"
            ),
        ]
        indexes = [
            # Name search (pages, API, import matching): trigram index, works for Chinese in a UTF-8 locale.
            GinIndex(fields=["name"], name="enterprise_name_trgm", opclasses=["gin_trgm_ops"]),
            # A two-character term has no trigram: its pieces of two (core.lookups.name_contains).
            GinIndex(Bigrams(Lower("name")), name="enterprise_name_bigram"),
            # Jurisdiction scoping filters on region_id LIKE 'prefix%'.
            models.Index(fields=["region"], name="enterprise_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProductGroup(models.Model):
    """A group of the national sampling catalogue (e.g. 电子电器产品)."""

    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产品类别")
        verbose_name_plural = _("产品类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the page's language (core/data/catalogue_names.py); a name the catalogue lacks as written."""
        return gettext(self.name) if self.name else ""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class ProductType(models.Model):
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("产品类别"), on_delete=models.PROTECT, related_name="product_types"
    )
    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("产品名称"), max_length=64)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("产品种类")
        verbose_name_plural = _("产品种类")
        ordering = ["group__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="product_type_name_unique_in_group"),
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values), name="product_type_risk_known"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the page's language (core/data/catalogue_names.py); a name the catalogue lacks as written."""
        return gettext(self.name) if self.name else ""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TestItem(models.Model):
    """A test item (检验项目) of a product type, with the standard it comes from."""

    product_type = models.ForeignKey(
        ProductType, verbose_name=_("产品种类"), on_delete=models.CASCADE, related_name="test_items"
    )
    name = models.CharField(_("检验项目"), max_length=128)
    standard = models.CharField(_("依据标准"), max_length=128)
    requirement = models.CharField(_("标准要求"), max_length=255, blank=True)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检验项目")
        verbose_name_plural = _("检验项目")
        ordering = ["product_type", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "name"], name="test_item_unique_in_type"),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Institution(models.Model):
    """A testing institution (检验机构) that tests samples and issues report numbers."""

    name = models.CharField(_("机构名称"), max_length=128, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, null=True, blank=True)
    accreditation_no = models.CharField(_("资质认定证书编号"), max_length=64, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检验机构")
        verbose_name_plural = _("检验机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("抽样人员")
    INSTITUTION = "institution", _("检验机构")
    CASE_HANDLER = "case_handler", _("案件承办人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    LEADER = "leader", _("负责人")
    ADMINISTRATOR = "administrator", _("系统管理员")
    # A producer's or seller's own account, bound to one enterprise; it sees only its own records.
    ENTERPRISE = "enterprise", _("企业用户")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(
        condition=pghistory.AnyChange(exclude=["last_login", "password"]),
    ),
    exclude=["password"],
)
class User(AbstractUser):
    """A staff account; it sees records of its jurisdiction and the regions below it."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.INSPECTOR)
    jurisdiction = models.ForeignKey(
        Region, verbose_name=_("管辖区域"), on_delete=models.PROTECT, related_name="staff", default=NATIONAL_CODE
    )
    organisation = models.CharField(_("所在单位"), max_length=128, blank=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("检验机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("所属企业"), on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    # Holds a law-enforcement credential (执法证): required to be drawn as an inspector or to handle a case.
    enforcement_credential = models.CharField(_("执法证号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_known"),
            # An enterprise account is bound to exactly one enterprise; staff accounts to none.
            models.CheckConstraint(
                condition=(Q(role="enterprise") & Q(enterprise__isnull=False))
                | (~Q(role="enterprise") & Q(enterprise__isnull=True)),
                name="user_enterprise_only_for_enterprise_role",
            ),
        ]

    @property
    def display_name(self) -> str:
        return (self.last_name + self.first_name) or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles

    @property
    def is_enterprise_user(self) -> bool:
        return self.role == Role.ENTERPRISE and not self.is_superuser

    @property
    def has_credential(self) -> bool:
        return bool(self.enforcement_credential.strip())


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class WorkdayOverride(models.Model):
    """A day that differs from the holiday library: a holiday or a make-up working day (调休).

    Administrators enter the State Council's schedule for a year the library does not know yet,
    or correct a day; an override always wins over the library.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {_('工作日') if self.is_workday else _('休息日')} {self.note}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CalendarYear(models.Model):
    """Marks a year whose holidays administrators entered in full as overrides."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    note = models.CharField(_("依据"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("已录入节假日安排的年度")
        verbose_name_plural = _("已录入节假日安排的年度")

    def __str__(self) -> str:
        return str(self.year)


from core.models_facts import EnterpriseFact  # noqa: E402,F401
from core.models_reports import Report  # noqa: E402,F401
from core.models_timelimits import Clock, ClockExtension, ClockPause, TimeLimit  # noqa: E402,F401

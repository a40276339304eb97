"""The public portal's footer: the bureau's contacts, 12315 and the identifiers a government website shows."""

from __future__ import annotations

import time

from constance.signals import config_updated
from constance.utils import get_values_for_keys
from django import template
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.navigation import pk_url
from core.templatetags.core_ui import join_labels

register = template.Library()

FOOTER_KEYS = (
    "SITE_ORGANISER",
    "SITE_ADDRESS",
    "SITE_CONTACT_PHONE",
    "SITE_CONTACT_EMAIL",
    "SITE_HOTLINE",
    "SITE_IDENTIFIER",
    "SITE_ICP",
    "SITE_PUBLIC_SECURITY_RECORD",
    "SITE_ACCESSIBILITY_URL",
)
# The footer is on every public page: its settings are read in one query and kept in the process for this many
# seconds (a change in the admin shows at once in the process that saved it, in the others within the TTL).
FOOTER_TTL = 60
_footer: dict = {"site": None, "read_at": 0.0}


def footer_settings() -> dict[str, str]:
    now = time.monotonic()
    if _footer["site"] is None or now - _footer["read_at"] > FOOTER_TTL:
        values = get_values_for_keys(FOOTER_KEYS)
        _footer["site"] = {key.removeprefix("SITE_").lower(): values.get(key, "") for key in FOOTER_KEYS}
        _footer["read_at"] = now
    return _footer["site"]


@receiver(config_updated)
def forget_footer_settings(sender, key, **kwargs) -> None:
    if key in FOOTER_KEYS:
        _footer["site"] = None


@register.inclusion_tag("public/_site_footer.html", takes_context=True)
def site_footer(context):
    return {"site": footer_settings(), "request": context.get("request")}


# --- The public result lists (issue 14, "scale") ------------------------------------------------------------
# The batch table was 25 rows × 12 cells of {% translate %}, {% url %} and filters through the template engine:
# most of a result page's time. The rows are now built here with the same markup; labels and URLs once a table.


def _cell(label: str, content: str) -> str:
    return f'<td data-label="{label}">{content}</td>'


def _or_slash(value) -> str:
    return escape(value) if value else "/"


@register.simple_tag
def public_batch_rows(rows, start_index=1, link_rows=False, show_announcement=False):
    """The <tr> rows of public/_batch_table.html: samples from public_results()/announcement_samples()."""
    from core.models import region_full_names

    labels = {
        key: escape(text)
        for key, text in (
            ("no", _("序号")),
            ("product", _("产品名称")),
            ("enterprise", _("受检企业")),
            ("region", _("所在地区")),
            ("brand", _("商标")),
            ("spec", _("规格型号")),
            ("batch", _("生产日期/批号")),
            ("sampled", _("抽样日期")),
            ("announcement", _("公告编号")),
            ("failed", _("不合格项目")),
            ("institution", _("检验机构")),
            ("verdict", _("检验结论")),
        )
    }
    badges = {
        "pass": f'<span class="badge pass">{escape(_("合格"))}</span>',
        "fail": f'<span class="badge fail">{escape(_("不合格"))}</span>',
    }
    pending = f'<span class="badge pending">{escape(_("待检验"))}</span>'
    detail_url = pk_url("public:result_detail") if link_rows else None
    announcement_url = pk_url("public:announcement_detail") if show_announcement else None
    names = region_full_names()
    english = _english_region_names()
    first = int(start_index or 1)
    out = []
    for offset, sample in enumerate(rows):
        results = getattr(sample, "confirmed_results", None) or []
        result = results[0] if results else None
        enterprise = escape(sample.enterprise.name)
        if detail_url:
            enterprise = f'<a href="{detail_url(sample.pk)}">{enterprise}</a>'
        product = sample.product_type
        region = (english.get(sample.region_id) if english else None) or names.get(sample.region_id)
        if region is None:
            region = sample.region.full_name
        cells = [
            _cell(labels["no"], str(first + offset)),
            _cell(
                labels["product"],
                f'{escape(product.display_name)}<div class="muted small">{escape(product.group.display_name)}</div>',
            ),
            _cell(labels["enterprise"], enterprise),
            _cell(labels["region"], escape(region)),
            _cell(labels["brand"], _or_slash(sample.brand)),
            _cell(labels["spec"], _or_slash(sample.model_spec)),
            _cell(labels["batch"], _or_slash(sample.production_batch)),
            _cell(labels["sampled"], sample.sampled_on.strftime("%Y-%m-%d") if sample.sampled_on else ""),
        ]
        if announcement_url:
            announcement = sample.announcement
            cells.append(
                _cell(
                    labels["announcement"],
                    f'<a href="{announcement_url(sample.announcement_id)}">'
                    f"{escape(announcement.number or announcement.title)}</a>",
                )
            )
        failed = result.failed_items if result else None
        failed_text = escape(join_labels(failed)) if failed else "/"  # item names in the page's language
        cells.append(_cell(labels["failed"], failed_text))
        cells.append(_cell(labels["institution"], _or_slash(result.institution.name if result else "")))
        cells.append(_cell(labels["verdict"], badges.get(sample.final_verdict, pending)))
        out.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


def _english_region_names() -> dict[str, str] | None:
    """On a page not in Chinese, the regions' English full names — what Region.display_full_name shows, without
    reading the region row."""
    if (get_language() or "zh-hans").lower().startswith("zh"):
        return None
    from core.models import region_english_full_names

    return region_english_full_names()


# The search form's selects (product groups and types, provinces, cities, counties, verdicts) were read from the
# and rendered option by option through the widget templates on every request. Their HTML is kept in the process
# per (field, language, choices query, chosen value) for SELECT_TTL seconds: the catalogue and the regions change
# only when the reference data is reloaded.
SELECT_TTL = 300
SELECT_CACHE_SIZE = 512
_selects: dict[tuple, tuple[float, str]] = {}
NARROWING_PARAMETERS = ("product_group", "province", "city")


@register.simple_tag
def public_select(bound_field):
    """``{{ form.field }}`` of one of the search form's selects, from the per-process cache when it is there (the
    fixed choices of 检验结论 too: rendering them through the widget templates was the largest single cost of a
    search page whose results section was kept)."""
    # The choices depend only on the parameters narrow_search_choices() reads (compiling the queryset's SQL for a
    # key cost more than rendering): the key names them, and whether the form was narrowed at all.
    form = bound_field.form
    data = form.data if form.is_bound else {}
    narrowing = tuple(str(data.get(name) or "") for name in NARROWING_PARAMETERS)
    value = bound_field.value()
    key = (
        bound_field.html_name,
        get_language(),
        getattr(form, "narrowed", False),
        narrowing,
        str(value) if value is not None else "",
        bool(bound_field.errors),
    )
    now = time.monotonic()
    hit = _selects.get(key)
    if hit is not None and now - hit[0] < SELECT_TTL:
        return hit[1]
    html = bound_field.as_widget()
    if len(_selects) >= SELECT_CACHE_SIZE:
        _selects.clear()
    _selects[key] = (now, html)
    return html


@register.simple_tag
def public_announcement_rows(announcements):
    """The <tr> rows of public/_announcement_table.html (announcements from published_announcements())."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.formats import localize
    from django.utils.timezone import template_localtime

    labels = [
        escape(_(text)) for text in ("公告标题", "公告编号", "发布机关所在地区", "抽查批次", "不合格批次", "发布时间")
    ]
    detail_url = pk_url("public:announcement_detail")
    out = []
    for a in announcements:
        failed = f'<span class="badge fail">{localize(a.failed_count)}</span>' if a.failed_count else "0"
        published = date_filter(template_localtime(a.published_at), "Y-m-d") if a.published_at else ""
        contents = [
            f'<a href="{detail_url(a.pk)}">{escape(a.title)}</a>',
            _or_slash(a.number),
            escape(a.region.display_name),
            escape(localize(a.batch_count)),
            failed,
            escape(published),
        ]
        out.append(
            "<tr>" + "".join(_cell(label, content) for label, content in zip(labels, contents, strict=True)) + "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped

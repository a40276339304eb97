"""The platform's time limits with their defaults: amount, unit, start event and legal basis.

Loaded as ``TimeLimit`` rows (``load_reference_data`` and on first use); administrators change the
amounts afterwards, and a reload never overwrites what they set. ``assumed`` marks a default that no
primary text gives: it stands for the article named in its basis (DOMAIN "Time limits").
Keys are "<area>.<name>"; apps use them through ``core.timelimits.limit(key)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

CHOUCHA = gettext_noop("《产品质量监督抽查管理暂行办法》")
PQL = gettext_noop("《中华人民共和国产品质量法》")
APL = gettext_noop("《中华人民共和国行政处罚法》")
PROC = gettext_noop("《市场监督管理行政处罚程序规定》")
PUBL = gettext_noop("《市场监督管理行政处罚信息公示规定》")
VEHICLE = gettext_noop("《缺陷汽车产品召回管理条例》")
CONSUMER = gettext_noop("《消费品召回管理暂行规定》")
BLACKLIST = gettext_noop("《市场监督管理严重违法失信名单管理办法》")
REPAIR = gettext_noop("《市场监督管理信用修复管理办法》")


@dataclass(frozen=True)
class LimitSpec:
    key: str
    name: str
    amount: int
    unit: str  # workday | day | month | year
    start_event: str
    basis: str
    max_amount: int | None = None
    assumed: bool = False


DEFAULT_LIMITS: tuple[LimitSpec, ...] = (
    # --- sampling (监督抽查) ---
    LimitSpec(
        "sampling.objection",
        gettext_noop("异议期限"),
        15,
        "day",
        gettext_noop("自收到检验结论之日起"),
        PQL + gettext_noop("第十五条"),
    ),
    LimitSpec(
        "sampling.notice",
        gettext_noop("送达不合格通知"),
        5,
        "workday",
        gettext_noop("自检验结论确认之日起"),
        CHOUCHA + gettext_noop("第四十四条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.rectification",
        gettext_noop("停止生产销售并整改"),
        60,
        "day",
        gettext_noop("自送达不合格通知书之日起"),
        CHOUCHA + gettext_noop("第四十四条至第四十六条"),
    ),
    LimitSpec(
        "sampling.reinspection",
        gettext_noop("复查"),
        75,
        "day",
        gettext_noop("自送达不合格通知书之日起"),
        CHOUCHA + gettext_noop("第四十四条至第四十六条"),
    ),
    LimitSpec(
        "sampling.publication",
        gettext_noop("复查不合格的省局公告"),
        20,
        "workday",
        gettext_noop("自复查不合格之日起"),
        CHOUCHA + gettext_noop("第四十七条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.second_reinspection",
        gettext_noop("公告后再次复查"),
        60,
        "day",
        gettext_noop("自公告之日起"),
        CHOUCHA + gettext_noop("第四十七条"),
        max_amount=90,
    ),
    LimitSpec(
        "sampling.stop_order",
        gettext_noop("责令停业整顿"),
        5,
        "workday",
        gettext_noop("自再次复查不合格之日起"),
        CHOUCHA + gettext_noop("第四十八条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.revocation",
        gettext_noop("提请吊销许可证照"),
        20,
        "workday",
        gettext_noop("自整顿后复查不合格之日起"),
        CHOUCHA + gettext_noop("第四十九条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.optional_step",
        gettext_noop("约谈或移送（未指定期限时）"),
        10,
        "workday",
        gettext_noop("自登记之日起"),
        CHOUCHA + gettext_noop("第四十七条"),
        assumed=True,
    ),
    # --- enforcement (执法办案) ---
    LimitSpec(
        "enforcement.filing",
        gettext_noop("核查线索并决定是否立案"),
        15,
        "workday",
        gettext_noop("自发现线索或者收到材料之日起"),
        PROC + gettext_noop("第十八条"),
    ),
    LimitSpec(
        "enforcement.filing_extension",
        gettext_noop("立案核查延长"),
        15,
        "workday",
        gettext_noop("经负责人批准，自原期限届满之日起"),
        PROC + gettext_noop("第十八条"),
    ),
    LimitSpec(
        "enforcement.decision",
        gettext_noop("作出处理决定"),
        90,
        "day",
        gettext_noop("自立案之日起"),
        APL + gettext_noop("第六十条"),
    ),
    LimitSpec(
        "enforcement.decision_extension",
        gettext_noop("办案期限延长"),
        30,
        "day",
        gettext_noop("经负责人批准，自原期限届满之日起"),
        PROC + gettext_noop("第六十四条"),
    ),
    LimitSpec(
        "enforcement.defence",
        gettext_noop("陈述、申辩"),
        5,
        "workday",
        gettext_noop("自行政处罚告知书送达之日起"),
        PROC + gettext_noop("第五十七条"),
        assumed=True,
    ),
    LimitSpec(
        "enforcement.hearing_request",
        gettext_noop("要求听证"),
        5,
        "workday",
        gettext_noop("自行政处罚告知书送达之日起"),
        APL + gettext_noop("第六十四条、第八十五条"),
    ),
    LimitSpec(
        "enforcement.hearing_notice",
        gettext_noop("听证通知"),
        7,
        "workday",
        gettext_noop("听证举行之前"),
        APL + gettext_noop("第六十四条"),
    ),
    LimitSpec(
        "enforcement.delivery",
        gettext_noop("送达行政处罚决定书"),
        7,
        "workday",
        gettext_noop("自作出决定之日起（当事人不在场）"),
        APL + gettext_noop("第六十一条"),
    ),
    LimitSpec(
        "enforcement.payment",
        gettext_noop("缴纳罚款"),
        15,
        "day",
        gettext_noop("自收到行政处罚决定书之日起"),
        APL + gettext_noop("第六十七条"),
    ),
    LimitSpec(
        "enforcement.publication",
        gettext_noop("公示行政处罚信息"),
        20,
        "workday",
        gettext_noop("自作出行政处罚决定之日起"),
        PUBL + gettext_noop("第九条"),
    ),
    LimitSpec(
        "enforcement.publication_push",
        gettext_noop("推送外省登记当事人的处罚信息"),
        10,
        "workday",
        gettext_noop("自作出行政处罚决定之日起（当事人登记地在其他省份）"),
        PUBL + gettext_noop("第十条"),
    ),
    LimitSpec(
        "enforcement.publication_withdrawal",
        gettext_noop("撤下行政处罚信息"),
        3,
        "workday",
        gettext_noop("自决定被变更、撤销或者确认无效之日起"),
        PUBL + gettext_noop("第十一条"),
    ),
    LimitSpec(
        "enforcement.display_short",
        gettext_noop("公示期限（通报批评、较低数额罚款）"),
        3,
        "month",
        gettext_noop("自公示之日起"),
        PUBL + gettext_noop("第十三条"),
    ),
    LimitSpec(
        "enforcement.display_long",
        gettext_noop("公示期限（其他）"),
        3,
        "year",
        gettext_noop("自公示之日起"),
        PUBL + gettext_noop("第十三条"),
    ),
    # --- recalls (缺陷产品召回) ---
    LimitSpec(
        "recalls.objection",
        gettext_noop("对缺陷调查结论提出异议"),
        15,
        "workday",
        gettext_noop("自收到调查结论通知之日起"),
        VEHICLE + gettext_noop("第十五条"),
    ),
    LimitSpec(
        "recalls.plan_filing",
        gettext_noop("召回计划备案"),
        5,
        "workday",
        gettext_noop("自确认缺陷之日起"),
        CONSUMER + gettext_noop("第十二条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.notice",
        gettext_noop("发布召回信息"),
        5,
        "workday",
        gettext_noop("自召回计划备案之日起"),
        CONSUMER + gettext_noop("第十四条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.progress",
        gettext_noop("召回阶段性进展报告"),
        3,
        "month",
        gettext_noop("自召回开始或上次报告期末起"),
        CONSUMER + gettext_noop("第十七条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.summary",
        gettext_noop("召回总结报告"),
        15,
        "workday",
        gettext_noop("自召回完成之日起"),
        CONSUMER + gettext_noop("第十八条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.records",
        gettext_noop("召回记录保存"),
        10,
        "year",
        gettext_noop("自召回完成之日起"),
        VEHICLE + gettext_noop("第九条"),
    ),
    # --- credit (质量信用) ---
    LimitSpec(
        "credit.listing_defence",
        gettext_noop("列入严重违法失信名单前陈述申辩"),
        5,
        "workday",
        gettext_noop("自送达列入告知书之日起"),
        BLACKLIST + gettext_noop("第十四条"),
        assumed=True,
    ),
    LimitSpec(
        "credit.listing_term",
        gettext_noop("严重违法失信名单列入期限"),
        3,
        "year",
        gettext_noop("自列入之日起"),
        BLACKLIST + gettext_noop("第二十条"),
    ),
    LimitSpec(
        "credit.early_removal_wait",
        gettext_noop("申请提前移出的最短列入时间"),
        1,
        "year",
        gettext_noop("自列入之日起"),
        REPAIR + gettext_noop("第七条"),
    ),
    LimitSpec(
        "credit.removal_decision",
        gettext_noop("提前移出申请的审核决定"),
        15,
        "workday",
        gettext_noop("自受理申请之日起"),
        REPAIR + gettext_noop("第七条"),
        assumed=True,
    ),
    LimitSpec(
        "credit.repair_wait",
        gettext_noop("行政处罚信息公示满后可申请信用修复"),
        6,
        "month",
        gettext_noop("自公示之日起"),
        REPAIR + gettext_noop("第六条"),
    ),
    LimitSpec(
        "credit.repair_wait_special",
        gettext_noop("食品、药品、特种设备领域申请信用修复"),
        1,
        "year",
        gettext_noop("自公示之日起"),
        REPAIR + gettext_noop("第六条"),
    ),
    LimitSpec(
        "credit.repair_decision",
        gettext_noop("信用修复申请的审核决定"),
        15,
        "workday",
        gettext_noop("自受理申请之日起"),
        REPAIR + gettext_noop("第十一条"),
        assumed=True,
    ),
)

SPECS_BY_KEY = {spec.key: spec for spec in DEFAULT_LIMITS}

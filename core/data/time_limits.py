"""The platform's time limits with their defaults: amount, unit, start event and legal basis.

Loaded as ``TimeLimit`` rows (``load_reference_data`` and on first use); administrators change the
amounts afterwards, and a reload never overwrites what they set. ``assumed`` marks a default that no
primary text gives: it stands for the article named in its basis (DOMAIN "Time limits").
Keys are "<area>.<name>"; apps use them through ``core.timelimits.limit(key)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

CHOUCHA = N_("《产品质量监督抽查管理暂行办法》")
PQL = N_("《中华人民共和国产品质量法》")
APL = N_("《中华人民共和国行政处罚法》")
PROC = N_("《市场监督管理行政处罚程序规定》")
PUBL = N_("《市场监督管理行政处罚信息公示规定》")
VEHICLE = N_("《缺陷汽车产品召回管理条例》")
CONSUMER = N_("《消费品召回管理暂行规定》")
BLACKLIST = N_("《市场监督管理严重违法失信名单管理办法》")
REPAIR = N_("《市场监督管理信用修复管理办法》")


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
    LimitSpec("sampling.objection", N_("异议期限"), 15, "day", N_("自收到检验结论之日起"), PQL + N_("第十五条")),
    LimitSpec(
        "sampling.notice",
        N_("送达不合格通知"),
        5,
        "workday",
        N_("自检验结论确认之日起"),
        CHOUCHA + N_("第四十四条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.rectification",
        N_("停止生产销售并整改"),
        60,
        "day",
        N_("自送达不合格通知书之日起"),
        CHOUCHA + N_("第四十四条至第四十六条"),
    ),
    LimitSpec(
        "sampling.reinspection",
        N_("复查"),
        75,
        "day",
        N_("自送达不合格通知书之日起"),
        CHOUCHA + N_("第四十四条至第四十六条"),
    ),
    LimitSpec(
        "sampling.publication",
        N_("复查不合格的省局公告"),
        20,
        "workday",
        N_("自复查不合格之日起"),
        CHOUCHA + N_("第四十七条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.second_reinspection",
        N_("公告后再次复查"),
        60,
        "day",
        N_("自公告之日起"),
        CHOUCHA + N_("第四十七条"),
        max_amount=90,
    ),
    LimitSpec(
        "sampling.stop_order",
        N_("责令停业整顿"),
        5,
        "workday",
        N_("自再次复查不合格之日起"),
        CHOUCHA + N_("第四十八条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.revocation",
        N_("提请吊销许可证照"),
        20,
        "workday",
        N_("自整顿后复查不合格之日起"),
        CHOUCHA + N_("第四十九条"),
        assumed=True,
    ),
    LimitSpec(
        "sampling.optional_step",
        N_("约谈或移送（未指定期限时）"),
        10,
        "workday",
        N_("自登记之日起"),
        CHOUCHA + N_("第四十七条"),
        assumed=True,
    ),
    # --- enforcement (执法办案) ---
    LimitSpec(
        "enforcement.filing",
        N_("核查线索并决定是否立案"),
        15,
        "workday",
        N_("自发现线索或者收到材料之日起"),
        PROC + N_("第十八条"),
    ),
    LimitSpec(
        "enforcement.filing_extension",
        N_("立案核查延长"),
        15,
        "workday",
        N_("经负责人批准，自原期限届满之日起"),
        PROC + N_("第十八条"),
    ),
    LimitSpec("enforcement.decision", N_("作出处理决定"), 90, "day", N_("自立案之日起"), APL + N_("第六十条")),
    LimitSpec(
        "enforcement.decision_extension",
        N_("办案期限延长"),
        30,
        "day",
        N_("经负责人批准，自原期限届满之日起"),
        PROC + N_("第六十四条"),
    ),
    LimitSpec(
        "enforcement.defence",
        N_("陈述、申辩"),
        5,
        "workday",
        N_("自行政处罚告知书送达之日起"),
        PROC + N_("第五十七条"),
        assumed=True,
    ),
    LimitSpec(
        "enforcement.hearing_request",
        N_("要求听证"),
        5,
        "workday",
        N_("自行政处罚告知书送达之日起"),
        APL + N_("第六十四条、第八十五条"),
    ),
    LimitSpec(
        "enforcement.hearing_notice",
        N_("听证通知"),
        7,
        "workday",
        N_("听证举行之前"),
        APL + N_("第六十四条"),
    ),
    LimitSpec(
        "enforcement.delivery",
        N_("送达行政处罚决定书"),
        7,
        "workday",
        N_("自作出决定之日起（当事人不在场）"),
        APL + N_("第六十一条"),
    ),
    LimitSpec(
        "enforcement.payment", N_("缴纳罚款"), 15, "day", N_("自收到行政处罚决定书之日起"), APL + N_("第六十七条")
    ),
    LimitSpec(
        "enforcement.publication",
        N_("公示行政处罚信息"),
        20,
        "workday",
        N_("自作出行政处罚决定之日起"),
        PUBL + N_("第九条"),
    ),
    LimitSpec(
        "enforcement.publication_push",
        N_("推送外省登记当事人的处罚信息"),
        10,
        "workday",
        N_("自作出行政处罚决定之日起（当事人登记地在其他省份）"),
        PUBL + N_("第十条"),
    ),
    LimitSpec(
        "enforcement.publication_withdrawal",
        N_("撤下行政处罚信息"),
        3,
        "workday",
        N_("自决定被变更、撤销或者确认无效之日起"),
        PUBL + N_("第十一条"),
    ),
    LimitSpec(
        "enforcement.display_short",
        N_("公示期限（通报批评、较低数额罚款）"),
        3,
        "month",
        N_("自公示之日起"),
        PUBL + N_("第十三条"),
    ),
    LimitSpec("enforcement.display_long", N_("公示期限（其他）"), 3, "year", N_("自公示之日起"), PUBL + N_("第十三条")),
    # --- recalls (缺陷产品召回) ---
    LimitSpec(
        "recalls.objection",
        N_("对缺陷调查结论提出异议"),
        15,
        "workday",
        N_("自收到调查结论通知之日起"),
        VEHICLE + N_("第十五条"),
    ),
    LimitSpec(
        "recalls.plan_filing",
        N_("召回计划备案"),
        5,
        "workday",
        N_("自确认缺陷之日起"),
        CONSUMER + N_("第十二条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.notice",
        N_("发布召回信息"),
        5,
        "workday",
        N_("自召回计划备案之日起"),
        CONSUMER + N_("第十四条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.progress",
        N_("召回阶段性进展报告"),
        3,
        "month",
        N_("自召回开始或上次报告期末起"),
        CONSUMER + N_("第十七条"),
        assumed=True,
    ),
    LimitSpec(
        "recalls.summary",
        N_("召回总结报告"),
        15,
        "workday",
        N_("自召回完成之日起"),
        CONSUMER + N_("第十八条"),
        assumed=True,
    ),
    LimitSpec("recalls.records", N_("召回记录保存"), 10, "year", N_("自召回完成之日起"), VEHICLE + N_("第九条")),
    # --- credit (质量信用) ---
    LimitSpec(
        "credit.listing_defence",
        N_("列入严重违法失信名单前陈述申辩"),
        5,
        "workday",
        N_("自送达列入告知书之日起"),
        BLACKLIST + N_("第十四条"),
        assumed=True,
    ),
    LimitSpec(
        "credit.listing_term", N_("严重违法失信名单列入期限"), 3, "year", N_("自列入之日起"), BLACKLIST + N_("第二十条")
    ),
    LimitSpec(
        "credit.early_removal_wait",
        N_("申请提前移出的最短列入时间"),
        1,
        "year",
        N_("自列入之日起"),
        REPAIR + N_("第七条"),
    ),
    LimitSpec(
        "credit.removal_decision",
        N_("提前移出申请的审核决定"),
        15,
        "workday",
        N_("自受理申请之日起"),
        REPAIR + N_("第七条"),
        assumed=True,
    ),
    LimitSpec(
        "credit.repair_wait",
        N_("行政处罚信息公示满后可申请信用修复"),
        6,
        "month",
        N_("自公示之日起"),
        REPAIR + N_("第六条"),
    ),
    LimitSpec(
        "credit.repair_wait_special",
        N_("食品、药品、特种设备领域申请信用修复"),
        1,
        "year",
        N_("自公示之日起"),
        REPAIR + N_("第六条"),
    ),
    LimitSpec(
        "credit.repair_decision",
        N_("信用修复申请的审核决定"),
        15,
        "workday",
        N_("自受理申请之日起"),
        REPAIR + N_("第十一条"),
        assumed=True,
    ),
)

SPECS_BY_KEY = {spec.key: spec for spec in DEFAULT_LIMITS}

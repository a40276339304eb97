"""recalls' part of `load_demo`: three demo producers with their own accounts, vehicle and consumer-goods
recalls in every state, progress reports (some late), defect reports (one cluster) and investigations — all
through the services, dated relative to today so that the due and overdue lists show something. Safe to run
twice: nothing is created when the demo producers already have recalls."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.demo import DEMO_PASSWORD, make_uscc
from core.models import Enterprise, EnterpriseSize, Region, User
from core.services import enterprise_account_create, enterprise_create
from recalls.models import Category, Conclusion, Recall, Remedy
from recalls.services import defect_reports, investigations
from recalls.services import recalls as services
from recalls.vin import with_check_digit

REGION = "430102"
PRODUCERS = [
    # (name, username, industry)
    ("湘江汽车股份有限公司", "xj_auto", "汽车制造业"),
    ("长沙美厨电器有限公司", "meichu", "电气机械和器材制造业"),
    ("湖南童乐玩具有限公司", "tongle", "文教、工美、体育和娱乐用品制造业"),
]


def _vin(stem: str, serial: int) -> str:
    return with_check_digit(f"{stem}{serial:06d}")


def _producer(name: str, username: str, industry: str, admin: User, rng: random.Random) -> tuple[Enterprise, User]:
    enterprise = Enterprise.objects.filter(name=name).first()
    if enterprise is None:
        enterprise = enterprise_create(
            user=admin,
            name=name,
            uscc=make_uscc(REGION, rng),
            legal_representative="刘建国",
            address="长沙市芙蓉区车站北路 88 号",
            region=Region.objects.get(code=REGION),
            industry=industry,
            size=EnterpriseSize.LARGE,
        )
    account = enterprise_account_create(enterprise=enterprise, username=username, password=DEMO_PASSWORD)
    return enterprise, account


def _plan(category: str, **fields) -> dict:
    base = {
        "category": category,
        "production_from": None,
        "production_to": None,
        "batches": "",
        "units_affected": None,
        "emergency_measures": "",
        "remedy_detail": "",
        "injuries": "",
        "retailers": "",
        "planned_end_on": None,
        "internal_note": "",
    }
    base.update(fields)
    return base


def load_demo_data() -> list[str]:
    admin = User.objects.filter(username="hn_admin").first()
    leader = User.objects.filter(username="fr_leader").first()
    handler = User.objects.filter(username="fr_case_handler").first()
    if not (admin and leader and handler):
        return [_("召回：缺少演示账号，未加载")]
    rng = random.Random(20260601)
    with transaction.atomic():
        (auto, auto_user), (kitchen, kitchen_user), (toys, toys_user) = (
            _producer(name, username, industry, admin, rng) for name, username, industry in PRODUCERS
        )
        if Recall.objects.filter(producer__in=[auto, kitchen, toys]).exists():
            return [_("召回：演示数据已存在，未新增")]
        count = _load(auto, auto_user, kitchen, kitchen_user, toys, toys_user, leader, handler)
    return [
        _("召回：新增 %(n)d 项召回、缺陷线索和缺陷调查；企业账号 xj_auto、meichu、tongle（密码 %(password)s）")
        % {"n": count, "password": DEMO_PASSWORD}
    ]


def _load(auto, auto_user, kitchen, kitchen_user, toys, toys_user, leader, handler) -> int:
    today = timezone.localdate()
    days = dt.timedelta

    def ago(n: int) -> dt.date:
        return today - days(days=n)

    region = Region.objects.get(code=REGION)
    stem = "LHXJ7A2K0R2"  # positions 1–11 of the demo SUV's VINs (the 9th is the check digit, filled in)
    # 1. Vehicle, voluntary, implementing: first report on time, the second one now overdue.
    suv = services.recall_file(
        user=auto_user,
        producer=auto,
        filed_on=ago(200),
        plan=_plan(
            Category.VEHICLE,
            product="XJ7 运动型多用途乘用车",
            brand="湘江",
            models_list=["XJ7", "XJ7 PHEV"],
            production_from=ago(700),
            production_to=ago(400),
            vin_ranges=f"{_vin(stem, 100001)}~{_vin(stem, 112000)}\n{_vin(stem, 120001)}~{_vin(stem, 120500)}\n"
            f"{_vin(stem, 130777)}",
            defect="部分车辆制动真空助力泵单向阀密封不良，长期使用后可能导致制动助力不足。",
            hazard="制动距离增加，极端情况下增加碰撞风险，存在安全隐患。",
            emergency_measures="如发现制动踏板变硬，请低速行驶并尽快联系授权服务店。",
            remedies=[Remedy.REPAIR, Remedy.OTA],
            remedy_detail="免费更换单向阀，并升级制动助力控制软件。",
            owner_notification="挂号信、短信及电话通知车主，并在官方网站和 App 发布公告。",
            hotline="400-888-7777",
            retailers="湘江汽车授权经销商",
            started_on=ago(195),
            planned_end_on=today + days(200),
            internal_note="供应商：某零部件公司 2024 年第 3 批次。",
        ),
    )
    services.recall_publish_notice(user=leader, recall=suv, on=ago(198))
    services.progress_report_submit(
        user=auto_user,
        recall=suv,
        units_affected=12501,
        units_remedied=5200,
        units_unreachable=120,
        unreachable_reasons="车辆已报废或转卖后无法联系",
        on=ago(110),
    )
    # 2. Consumer goods, completed with its summary.
    kettle = services.recall_file(
        user=kitchen_user,
        producer=kitchen,
        filed_on=ago(420),
        plan=_plan(
            Category.CONSUMER,
            product="电热水壶",
            brand="美厨",
            models_list=["MK-15A", "MK-17B"],
            production_from=ago(800),
            production_to=ago(500),
            batches="20240105-20240630",
            units_affected=8600,
            defect="温控器在干烧时不能可靠断电。",
            hazard="可能导致壶体过热，存在烫伤和火灾隐患。",
            emergency_measures="请立即停止使用并拔下电源插头。",
            remedies=[Remedy.REPLACE, Remedy.REFUND],
            remedy_detail="免费更换新品或全额退款。",
            owner_notification="电商平台站内信、短信通知购买者。",
            hotline="400-600-1234",
            injuries="收到 2 起轻微烫伤报告",
            retailers="各大电商平台及超市",
            started_on=ago(415),
            planned_end_on=ago(60),
        ),
    )
    services.recall_publish_notice(user=leader, recall=kettle, on=ago(417))
    services.progress_report_submit(
        user=kitchen_user,
        recall=kettle,
        units_affected=8600,
        units_remedied=3100,
        units_unreachable=300,
        unreachable_reasons="线下购买无记录",
        on=ago(325),
    )
    services.progress_report_submit(
        user=kitchen_user,
        recall=kettle,
        units_affected=8600,
        units_remedied=5800,
        units_unreachable=420,
        unreachable_reasons="线下购买无记录",
        on=ago(240),
    )
    services.progress_report_submit(
        user=kitchen_user,
        recall=kettle,
        units_affected=8600,
        units_remedied=7100,
        units_unreachable=500,
        unreachable_reasons="线下购买无记录",
        on=ago(140),
    )
    services.recall_end(user=kitchen_user, recall=kettle, ended_on=ago(60))
    services.recall_summary_submit(
        user=kitchen_user,
        recall=kettle,
        summary="召回工作已完成，共处理 7,600 台。",
        units_affected=8600,
        units_remedied=7600,
        units_unreachable=520,
        unreachable_reasons="线下购买无记录",
        on=ago(50),
    )
    # 3. Consumer goods, ended, summary now overdue.
    toy = services.recall_file(
        user=toys_user,
        producer=toys,
        filed_on=ago(160),
        plan=_plan(
            Category.CONSUMER,
            product="儿童磁力积木",
            brand="童乐",
            models_list=["TL-M60"],
            units_affected=2400,
            defect="部分积木外壳黏合不牢，小磁铁可能脱落。",
            hazard="儿童误吞多颗磁铁可能造成肠道损伤。",
            emergency_measures="请立即将产品放在儿童接触不到的地方。",
            remedies=[Remedy.REFUND],
            owner_notification="电话及短信通知。",
            hotline="0731-8888-6666",
            started_on=ago(158),
        ),
    )
    services.recall_publish_notice(user=leader, recall=toy, on=ago(157))
    services.progress_report_submit(
        user=toys_user,
        recall=toy,
        units_affected=2400,
        units_remedied=1900,
        units_unreachable=100,
        unreachable_reasons="联系方式错误",
        on=ago(70),
    )
    services.recall_end(user=toys_user, recall=toy, ended_on=ago(35))
    # 4. Filed, notice due in a few days; 5. filed, notice overdue.
    services.recall_file(
        user=handler,
        producer=kitchen,
        filed_on=ago(1),
        plan=_plan(
            Category.CONSUMER,
            product="电暖器",
            brand="美厨",
            models_list=["NQ-2000"],
            units_affected=1500,
            defect="倾倒断电开关失效。",
            hazard="倾倒后继续加热，可能引燃周围物品。",
            remedies=[Remedy.REPAIR],
            owner_notification="短信通知。",
            hotline="400-600-1234",
            started_on=today,
        ),
    )
    services.recall_file(
        user=toys_user,
        producer=toys,
        filed_on=ago(21),
        plan=_plan(
            Category.CONSUMER,
            product="儿童滑板车",
            brand="童乐",
            models_list=["TL-S3"],
            units_affected=900,
            defect="折叠锁扣强度不足。",
            hazard="骑行中可能意外折叠导致摔伤。",
            remedies=[Remedy.REPLACE],
            remedy_detail="免费更换加强型锁扣。",
            owner_notification="电话通知。",
            hotline="0731-8888-6666",
            started_on=ago(20),
        ),
    )
    # 6. Terminated.
    terminated = services.recall_file(
        user=kitchen_user,
        producer=kitchen,
        filed_on=ago(90),
        plan=_plan(
            Category.CONSUMER,
            product="电饭煲",
            brand="美厨",
            models_list=["FB-30"],
            units_affected=300,
            defect="内胆涂层疑似脱落。",
            hazard="可能接触脱落涂层。",
            remedies=[Remedy.INSTRUCTIONS],
            owner_notification="官网公告。",
            hotline="400-600-1234",
            started_on=ago(88),
        ),
    )
    services.recall_terminate(user=leader, recall=terminated, reason="经复检涂层符合标准，缺陷不成立", on=ago(80))

    # Defect reports: a cluster on the 美厨 MK-15A kettle, a vehicle report, one dismissed.
    reports = []
    for n, (name, text) in enumerate(
        [
            ("张先生", "烧水时忘记加水，壶底发黑冒烟，没有自动断电。"),
            ("李女士", "水烧干后仍在加热，闻到塑料焦糊味。"),
            ("王先生", "壶底发烫变形，手被烫红，温控好像失灵。"),
            ("陈女士", "空烧十几分钟没有断电，壶底变色。"),
        ]
    ):
        reports.append(
            defect_reports.defect_report_submit(
                category=Category.CONSUMER,
                product="电热水壶",
                brand="美厨",
                model="MK-15A" if n % 2 else "mk 15a",
                description=text,
                region=region,
                reporter_name=name,
                reporter_phone=f"1390731{n:04d}",
                injury=n == 2,
                injury_detail="手部轻度烫伤" if n == 2 else "",
                consent_publish=n != 1,
                purchased_on=ago(300 + n),
                today=ago(20 - n * 3),
            )
        )
    car_report = defect_reports.defect_report_submit(
        category=Category.VEHICLE,
        product="轿车",
        brand="湘江",
        model="XJ5",
        vin=_vin("LHXJ5B2K0P2", 4321),
        description="高速行驶时仪表多次提示转向助力故障，方向盘突然变重。",
        region=region,
        reporter_name="赵先生",
        reporter_phone="13807310000",
        today=ago(40),
    )
    dismissed = defect_reports.defect_report_submit(
        category=Category.CONSUMER,
        product="吹风机",
        brand="某品牌",
        model="HD-1",
        description="使用两年后风力变小。",
        region=region,
        reporter_name="孙女士",
        reporter_phone="13907311111",
        today=ago(15),
    )
    defect_reports.defect_report_triage(
        user=handler, report=dismissed, status="dismissed", note="属正常损耗，不构成缺陷。"
    )
    defect_reports.defect_report_triage(
        user=handler, report=reports[0], status="accepted", producer=kitchen, note="同型号线索聚集，建议开展调查。"
    )
    # An open investigation of the kettle cluster.
    investigations.investigation_open(
        user=handler,
        producer=kitchen,
        category=Category.CONSUMER,
        product="电热水壶",
        brand="美厨",
        models_text="MK-15A",
        reports=reports[:3],
        opened_on=ago(5),
    )
    # A vehicle investigation: defect found, objection, final, ordered recall still waiting for the plan.
    inv = investigations.investigation_open(
        user=handler,
        producer=auto,
        category=Category.VEHICLE,
        product="XJ5 轿车",
        brand="湘江",
        models_text="XJ5",
        reports=[car_report],
        opened_on=ago(38),
    )
    investigations.investigation_conclude(
        user=leader,
        investigation=inv,
        conclusion=Conclusion.DEFECT,
        notified_on=ago(34),
        tests="委托检验机构进行转向系统台架试验和道路试验，6 台样车中 2 台复现故障。",
        findings="转向助力控制器电源线束插接件设计缺陷，振动后接触不良导致助力中断。",
        concealed=True,
    )
    investigations.investigation_object(user=auto_user, investigation=inv, reasons="故障率低，不属于缺陷。", on=ago(30))
    investigations.investigation_finalise(
        user=leader, investigation=inv, reply="试验可复现，维持存在缺陷的结论。", on=ago(12)
    )
    services.recall_order(user=leader, investigation=inv, on=ago(3))
    # A toy investigation whose ordered recall the producer refused (a conduct fact for credit).
    toy_inv = investigations.investigation_open(
        user=handler,
        producer=toys,
        category=Category.CONSUMER,
        product="儿童水彩笔",
        brand="童乐",
        models_text="TL-C24",
        opened_on=ago(90),
    )
    investigations.investigation_conclude(
        user=leader,
        investigation=toy_inv,
        conclusion=Conclusion.DEFECT,
        notified_on=ago(80),
        tests="抽样检测笔帽通气量。",
        findings="笔帽通气量不符合 GB 6675 要求，存在误吞窒息风险。",
    )
    investigations.investigation_finalise(user=leader, investigation=toy_inv, on=ago(50))
    refused = services.recall_order(user=leader, investigation=toy_inv, on=ago(45))
    services.recall_record_refusal(user=leader, recall=refused, reason="生产者书面答复拒绝召回", on=ago(35))
    return Recall.objects.filter(producer__in=[auto, kitchen, toys]).count()

"""Demo data for a fresh installation: Hunan enterprises and one account per role and level.

Everything is drawn from a seeded random generator, so that a re-run produces the same rows and
creates nothing new (enterprises are keyed by USCC, accounts by user name).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from core.errors import DomainError
from core.models import (
    CreditClass,
    Enterprise,
    EnterpriseSize,
    EnterpriseStatus,
    Institution,
    Region,
    RegionLevel,
    Role,
)
from core.services import enterprise_product_lines_add, staff_account_create

DEMO_PROVINCE = "430000"
DEMO_PASSWORD = "Demo@2026"
DEMO_ENTERPRISE_COUNT = 3000
_ENTERPRISE_SEED = 2260430


def make_uscc(region_code: str = "430102", rng: random.Random | None = None) -> str:
    """A valid USCC: registration type 91, the region, a random organisation code, and its check digit."""
    rng = rng or random
    org = "".join(rng.choice("0123456789") for _ in range(8))
    # GB 11714 check digit of the 8-character organisation code.
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(org, weights, strict=True))
    check = 11 - total % 11
    org += {10: "X", 11: "0"}.get(check, str(check))
    body = "91" + region_code + org
    return body + stdnum_uscc.calc_check_digit(body)


# --- enterprises -----------------------------------------------------------------------------

# (industry of GB/T 4754, word that ends a company name, catalogue product types such a company makes)
PRODUCERS: list[tuple[str, str, list[str]]] = [
    ("纺织服装、服饰业", "服饰", ["G01-01", "G01-03"]),
    ("纺织服装、服饰业", "童装", ["G01-01"]),
    ("纺织业", "家纺", ["G01-02"]),
    ("纺织业", "毛巾", ["G01-04"]),
    ("皮革、毛皮、羽毛及其制品和制鞋业", "羽绒制品", ["G01-03"]),
    ("皮革、毛皮、羽毛及其制品和制鞋业", "鞋业", ["G01-05", "G01-06"]),
    ("电气机械和器材制造业", "电器", ["G02-01", "G02-02", "G02-03", "G02-04", "G02-07"]),
    ("电气机械和器材制造业", "家用电器", ["G02-01", "G02-02", "G02-03", "G02-04", "G02-07"]),
    ("电气机械和器材制造业", "厨卫电器", ["G02-07", "G03-06", "G02-03"]),
    ("计算机、通信和其他电子设备制造业", "电子科技", ["G02-05", "G02-06"]),
    ("计算机、通信和其他电子设备制造业", "电子", ["G02-05", "G02-06"]),
    ("文教、工美、体育和娱乐用品制造业", "玩具", ["G03-01"]),
    ("文教、工美、体育和娱乐用品制造业", "童车", ["G03-02"]),
    ("文教、工美、体育和娱乐用品制造业", "文具", ["G03-05"]),
    ("造纸和纸制品业", "纸业", ["G03-03", "G08-02"]),
    ("造纸和纸制品业", "生活用纸", ["G03-03"]),
    ("家具制造业", "家具", ["G03-04"]),
    ("化学原料和化学制品制造业", "肥业", ["G04-01", "G04-02", "G04-03"]),
    ("化学原料和化学制品制造业", "化肥", ["G04-01", "G04-02", "G04-03"]),
    ("化学原料和化学制品制造业", "生物肥业", ["G04-04"]),
    ("化学原料和化学制品制造业", "涂料", ["G07-05"]),
    ("化学原料和化学制品制造业", "防水材料", ["G07-03"]),
    ("化学原料和化学制品制造业", "日化", ["G08-04"]),
    ("橡胶和塑料制品业", "塑料制品", ["G04-05", "G08-01"]),
    ("橡胶和塑料制品业", "管业", ["G07-06"]),
    ("橡胶和塑料制品业", "包装", ["G08-01", "G08-02"]),
    ("橡胶和塑料制品业", "轮胎", ["G05-05"]),
    ("铁路、船舶、航空航天和其他运输设备制造业", "车业", ["G05-01"]),
    ("铁路、船舶、航空航天和其他运输设备制造业", "电动车", ["G05-01"]),
    ("专用设备制造业", "消防设备", ["G05-04"]),
    ("其他制造业", "安防用品", ["G05-02", "G05-03"]),
    ("其他制造业", "劳保用品", ["G05-03"]),
    ("金属制品业", "门业", ["G05-06"]),
    ("金属制品业", "不锈钢制品", ["G08-03"]),
    ("金属制品业", "厨具", ["G08-03", "G03-06"]),
    ("电气机械和器材制造业", "电线电缆", ["G06-01"]),
    ("电气机械和器材制造业", "电工", ["G06-02", "G06-03"]),
    ("电气机械和器材制造业", "照明", ["G06-04"]),
    ("黑色金属冶炼和压延加工业", "钢铁", ["G06-05"]),
    ("黑色金属冶炼和压延加工业", "钢材", ["G06-05"]),
    ("非金属矿物制品业", "陶瓷", ["G07-01", "G08-05"]),
    ("非金属矿物制品业", "水泥", ["G07-02"]),
    ("非金属矿物制品业", "建材", ["G07-01", "G07-02"]),
    ("木材加工和木、竹、藤、棕、草制品业", "木业", ["G07-04"]),
]
RETAIL_INDUSTRY = "批发和零售业"
_RETAIL_WORDS = ["商贸", "贸易", "百货", "超市", "电子商务"]


def producer_words_for_type(type_code: str) -> list[str]:
    """The company-name words of the demo producers that make a product type."""
    return [word for _industry, word, types in PRODUCERS if type_code in types]


_TRADE_NAME_CHARS = "华盛鑫达宏远恒泰嘉信昌隆兴旺博创德福瑞丰金新天中湘楚永和佳利通广源安康明辉腾飞晨星润雅"
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜谭廖"
)
_GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏飞玲燕波宇浩凯婷雪琳晨"
_ROADS = ["人民路", "建设路", "解放路", "工业大道", "湘江路", "五一大道", "新华路", "迎宾路", "高新大道", "环城路",
          "开发区创业路", "经济开发区科技路", "车站路", "长青路", "兴业路"]  # fmt: skip
# A realistic mix: few large, many small and micro enterprises.
_SIZE_WEIGHTS = {
    EnterpriseSize.LARGE: 2,
    EnterpriseSize.MEDIUM: 10,
    EnterpriseSize.SMALL: 38,
    EnterpriseSize.MICRO: 50,
}
_CREDIT_WEIGHTS = {"": 70, CreditClass.A: 10, CreditClass.B: 14, CreditClass.C: 5, CreditClass.D: 1}
_STATUS_WEIGHTS = {EnterpriseStatus.ACTIVE: 96, EnterpriseStatus.CANCELLED: 3, EnterpriseStatus.SUSPENDED: 1}


def _short_place_name(region: Region, city: Region) -> str:
    """The place name a company would carry: 浏阳, 醴陵, or the city's for urban districts."""
    name = region.name
    if name.endswith("自治县") or name.endswith("自治州"):
        return name[:2]
    if name.endswith("区") or len(name) <= 2:
        return _short_place_name(city, city) if region is not city else name[:-1]
    return name[:-1]


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_enterprises(counties: list[Region]) -> list[Enterprise]:
    """The demo enterprises (unsaved), spread over the counties; Changsha, Zhuzhou and Xiangtan weigh more."""
    rng = random.Random(_ENTERPRISE_SEED)
    county_weights = [3 if c.code.startswith("4301") else 2 if c.code[:4] in ("4302", "4303") else 1 for c in counties]
    names: set[str] = set()
    enterprises = []
    for _n in range(DEMO_ENTERPRISE_COUNT):
        county = rng.choices(counties, weights=county_weights)[0]
        city = county.parent if county.parent.level == RegionLevel.CITY else county
        size = _pick(rng, _SIZE_WEIGHTS)
        types: list[str] = []
        if rng.random() < 0.2:
            industry, word = RETAIL_INDUSTRY, rng.choice(_RETAIL_WORDS)
        else:
            industry, word, types = rng.choice(PRODUCERS)
        prefix = "湖南" if size == EnterpriseSize.LARGE or rng.random() < 0.15 else _short_place_name(county, city)
        suffix = rng.choice(["股份有限公司", "集团有限公司"]) if size == EnterpriseSize.LARGE else "有限公司"
        while True:
            name = f"{prefix}{''.join(rng.sample(_TRADE_NAME_CHARS, 2))}{word}{suffix}"
            if name not in names:
                names.add(name)
                break
        given = "".join(rng.sample(_GIVEN_CHARS, rng.choice([1, 2])))
        enterprise = Enterprise(
            name=name,
            uscc=make_uscc(county.code, rng),
            legal_representative=rng.choice(_SURNAMES) + given,
            address=f"湖南省{city.name if city is not county else ''}{county.name}"
            f"{rng.choice(_ROADS)}{rng.randint(1, 999)}号",
            region=county,
            industry=industry,
            size=size,
            status=_pick(rng, _STATUS_WEIGHTS),
            credit_class=_pick(rng, _CREDIT_WEIGHTS),
        )
        # What it makes (its PRODUCERS entry) or, for a shop, sells; kept off the model until saved.
        enterprise.demo_product_codes = list(types) or _retail_product_codes(enterprise.uscc)
        enterprises.append(enterprise)
    return enterprises


# Consumer goods a demo shop sells: the producers' types of the 日用及纺织品, 电子电器, 轻工 and 食品相关 groups.
_RETAIL_GROUPS = ("G01", "G02", "G03", "G08")


def _retail_product_codes(uscc: str) -> list[str]:
    """Three to six consumer product types, from a generator of its own (the enterprises' stream is untouched)."""
    codes = sorted({code for _i, _w, types in PRODUCERS for code in types if code[:3] in _RETAIL_GROUPS})
    rng = random.Random(uscc)
    return sorted(rng.sample(codes, rng.randint(3, 6)))


def demo_product_lines(enterprises: list[Enterprise]) -> list[tuple[int, int]]:
    """(enterprise id, product type id) pairs of the demo enterprises' product lines (saved enterprises)."""
    from core.models import ProductType

    type_ids = dict(ProductType.objects.values_list("code", "id"))
    ids = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in enterprises]).values_list("uscc", "id"))
    return [
        (ids[e.uscc], type_ids[code])
        for e in enterprises
        if e.uscc in ids
        for code in e.demo_product_codes
        if code in type_ids
    ]


def demo_counties() -> list[Region]:
    return list(
        Region.objects.filter(code__startswith=DEMO_PROVINCE[:2], level=RegionLevel.COUNTY, is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def demo_enterprise_usccs() -> list[str]:
    """The USCCs of the demo enterprises, in generation order (other apps' demo data sample from them)."""
    return [e.uscc for e in demo_enterprises(demo_counties())]


def load_demo_enterprises() -> int:
    """Create the demo enterprises that do not exist yet (matched by USCC); returns how many were created."""
    counties = demo_counties()
    if not counties:
        raise DomainError(_("未找到湖南省的县级行政区划，请先运行 load_reference_data。"))
    enterprises = demo_enterprises(counties)
    before = Enterprise.objects.count()
    Enterprise.objects.bulk_create(enterprises, batch_size=1000, ignore_conflicts=True)
    # Product lines narrow the draw's candidates (existing pairs are kept, so a re-run adds nothing).
    enterprise_product_lines_add(demo_product_lines(enterprises))
    return Enterprise.objects.count() - before


# --- accounts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLevel:
    prefix: str
    region_code: str
    organisation: str
    institution: str


DEMO_LEVELS = [
    DemoLevel("hn", "430000", "湖南省市场监督管理局", "湖南省产品质量检验研究院"),
    DemoLevel("cs", "430100", "长沙市市场监督管理局", "长沙市产品质量监督检验所"),
    DemoLevel("fr", "430102", "长沙市芙蓉区市场监督管理局", "长沙市产品质量监督检验所"),
]
_ROLE_USERNAME = {
    Role.INSPECTOR: "inspector",
    Role.INSTITUTION: "institution",
    Role.CASE_HANDLER: "case_handler",
    Role.LEGAL_REVIEWER: "legal_reviewer",
    Role.LEADER: "leader",
    Role.ADMINISTRATOR: "admin",
}
# (family name, given name) per level and role, in the order of _ROLE_USERNAME.
_DEMO_NAMES = {
    "hn": [("刘", "建国"), ("陈", "思远"), ("王", "志强"), ("周", "慧敏"), ("李", "振华"), ("赵", "明轩")],
    "cs": [("张", "伟"), ("杨", "丽娟"), ("黄", "海涛"), ("吴", "静怡"), ("彭", "国良"), ("罗", "晓东")],
    "fr": [("谭", "军"), ("曾", "婷"), ("邓", "鹏飞"), ("蒋", "雪琳"), ("唐", "德明"), ("易", "晨")],
}


def demo_username(prefix: str, role: str) -> str:
    return f"{prefix}_{_ROLE_USERNAME[role]}"


def demo_account_specs() -> list[dict]:
    """One account per role at province (湖南省), city (长沙市) and county (芙蓉区) level."""
    specs = []
    for level in DEMO_LEVELS:
        for (role, _suffix), (last, first) in zip(_ROLE_USERNAME.items(), _DEMO_NAMES[level.prefix], strict=True):
            specs.append(
                {
                    "username": demo_username(level.prefix, role),
                    "role": role,
                    "jurisdiction": level.region_code,
                    "last_name": last,
                    "first_name": first,
                    "organisation": level.institution if role == Role.INSTITUTION else level.organisation,
                    "institution": level.institution if role == Role.INSTITUTION else None,
                    "is_staff": role == Role.ADMINISTRATOR,
                    "is_superuser": level.prefix == "hn" and role == Role.ADMINISTRATOR,
                    # Inspectors hold an enforcement credential (执法证): the draw assigns only those.
                    "enforcement_credential": demo_credential(level.region_code, 1) if role == Role.INSPECTOR else "",
                }
            )
    return specs


# Credentialed inspectors per county on the roster (执法检查人员名录库): a draw assigns two per enterprise and
# avoids those who sampled it last round, so three let every county draw.
ROSTER_PER_COUNTY = 3
_ROSTER_SEED = 2260431


def demo_credential(region_code: str, n: int) -> str:
    """A demo enforcement credential number (执法证号): the bureau's region code and a serial."""
    return f"{region_code}{n:05d}"


def demo_roster_specs(counties: list[Region] | None = None) -> list[dict]:
    """ROSTER_PER_COUNTY credentialed inspectors for every demo county; 芙蓉区's first is fr_inspector."""
    counties = demo_counties() if counties is None else counties
    rng = random.Random(_ROSTER_SEED)
    specs = []
    for county in counties:
        city = county.parent if county.parent and county.parent.level == RegionLevel.CITY else None
        bureau = f"{city.name if city else ''}{county.name}市场监督管理局"
        for n in range(1, ROSTER_PER_COUNTY + 1):
            last, first = rng.choice(_SURNAMES), "".join(rng.sample(_GIVEN_CHARS, 2))
            if county.code == "430102" and n == 1:
                continue  # fr_inspector, one of the role accounts
            username = f"fr_inspector{n}" if county.code == "430102" else f"insp{county.code}_{n}"
            specs.append(
                {
                    "username": username,
                    "role": Role.INSPECTOR,
                    "jurisdiction": county.code,
                    "last_name": last,
                    "first_name": first,
                    "organisation": bureau,
                    "enforcement_credential": demo_credential(county.code, n),
                }
            )
    return specs


def load_demo_accounts(*, password: str = DEMO_PASSWORD) -> int:
    """Create the demo accounts and the inspectors' roster that do not exist yet (core.services); existing
    accounts keep their passwords, and an inspector without a credential gets the demo one."""
    # One hash for all: the demo accounts share their password, and hashing is deliberately slow.
    encoded = make_password(password)
    created = 0
    for spec in [*demo_account_specs(), *demo_roster_specs()]:
        spec = dict(spec)
        institution_name = spec.pop("institution", None)
        if institution_name:
            spec["institution"], _created = Institution.objects.get_or_create(name=institution_name)
        _user, is_new = staff_account_create(password_hash=encoded, jurisdiction_code=spec.pop("jurisdiction"), **spec)
        created += is_new
    return created


def load_demo_data() -> list[str]:
    """core's part of `load_demo`: enterprises and accounts; returns summary lines."""
    with transaction.atomic():
        enterprises = load_demo_enterprises()
        accounts = load_demo_accounts()
    hunan = Enterprise.objects.filter(region__code__startswith=DEMO_PROVINCE[:2]).count()
    return [
        _("企业：新增 %(new)d 家，湖南省共 %(total)d 家") % {"new": enterprises, "total": hunan},
        _("演示账号：新增 %(n)d 个（密码 %(password)s）") % {"n": accounts, "password": DEMO_PASSWORD},
        _("抽样人员名录：每个县（市、区）%(n)d 名持执法证的抽样人员") % {"n": ROSTER_PER_COUNTY},
    ]

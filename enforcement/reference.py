"""The maintained list of laws and articles penalties rest on (处罚依据); administrators edit it in the admin.

``load_legal_bases()`` is idempotent: it creates missing rows and never overwrites what administrators changed."""

from __future__ import annotations

from django.utils.translation import gettext_noop

PQL = gettext_noop("《中华人民共和国产品质量法》")
APL = gettext_noop("《中华人民共和国行政处罚法》")
STD = gettext_noop("《中华人民共和国标准化法》")
MEASURE = gettext_noop("《中华人民共和国计量法》")
RECALL = gettext_noop("《消费品召回管理暂行规定》")

# (law, article, violation, penalty provision, violation type)
LEGAL_BASES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        PQL,
        gettext_noop("第四十九条"),
        gettext_noop("生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品"),
        gettext_noop(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品（包括已售出和未售出的产品）货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        gettext_noop("不符合强制性标准"),
    ),
    (
        PQL,
        gettext_noop("第五十条"),
        gettext_noop("在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品"),
        gettext_noop(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额百分之五十以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        gettext_noop("掺杂掺假、以次充好"),
    ),
    (
        PQL,
        gettext_noop("第五十一条"),
        gettext_noop("生产国家明令淘汰的产品的，销售国家明令淘汰并停止销售的产品"),
        gettext_noop(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额等值以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        gettext_noop("明令淘汰产品"),
    ),
    (
        PQL,
        gettext_noop("第五十二条"),
        gettext_noop("销售失效、变质的产品"),
        gettext_noop(
            "责令停止销售，没收违法销售的产品，并处违法销售产品货值金额二倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        gettext_noop("销售失效变质产品"),
    ),
    (
        PQL,
        gettext_noop("第五十三条"),
        gettext_noop("伪造产品产地，伪造或者冒用他人厂名、厂址，伪造或者冒用认证标志等质量标志"),
        gettext_noop(
            "责令改正，没收违法生产、销售的产品，并处违法生产、销售产品货值金额等值以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        gettext_noop("伪造冒用质量标志"),
    ),
    (
        PQL,
        gettext_noop("第五十四条"),
        gettext_noop("产品标识不符合本法第二十七条的规定"),
        gettext_noop(
            "责令改正；有包装的产品标识不符合规定，情节严重的，责令停止生产、销售，并处违法生产、销售产品货值金额百分之三十以下的罚款；有违法所得的，并处没收违法所得"
        ),
        gettext_noop("产品标识不符合规定"),
    ),
    (
        PQL,
        gettext_noop("第五十六条"),
        gettext_noop("拒绝接受依法进行的产品质量监督检查"),
        gettext_noop("给予警告，责令改正；拒不改正的，责令停业整顿；情节特别严重的，吊销营业执照"),
        gettext_noop("拒绝监督检查"),
    ),
    (
        PQL,
        gettext_noop("第六十三条"),
        gettext_noop("隐匿、转移、变卖、损毁被市场监督管理部门查封、扣押的物品"),
        gettext_noop("处被隐匿、转移、变卖、损毁物品货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得"),
        gettext_noop("隐匿转移查封扣押物品"),
    ),
    (
        STD,
        gettext_noop("第三十七条"),
        gettext_noop("生产、销售、进口产品或者提供服务不符合强制性标准"),
        gettext_noop(
            "依照《中华人民共和国产品质量法》等法律、行政法规的规定查处，记入信用记录，并依照有关法律、行政法规的规定予以公示"
        ),
        gettext_noop("不符合强制性标准"),
    ),
    (
        APL,
        gettext_noop("第三十三条"),
        gettext_noop("违法行为轻微并及时改正，没有造成危害后果；初次违法且危害后果轻微并及时改正"),
        gettext_noop("不予行政处罚；可以不予行政处罚"),
        gettext_noop("轻微违法不予处罚"),
    ),
    (
        MEASURE,
        gettext_noop("第二十七条"),
        gettext_noop("制造、销售、使用以欺骗消费者为目的的计量器具"),
        gettext_noop(
            "没收计量器具和违法所得，处以罚款；情节严重的，并对个人或者单位直接责任人员依照刑法有关规定追究刑事责任"
        ),
        gettext_noop("计量违法"),
    ),
)


def load_legal_bases() -> int:
    """Create the bases that do not exist yet (matched by law and article); returns how many were created."""
    from enforcement.models import LegalBasis

    created = 0
    for order, (law, article, summary, penalty_text, violation_type) in enumerate(LEGAL_BASES, start=1):
        _row, was_created = LegalBasis.objects.get_or_create(
            law=law,
            article=article,
            defaults={
                "summary": summary,
                "penalty_text": penalty_text,
                "violation_type": violation_type,
                "order": order,
            },
        )
        created += int(was_created)
    return created

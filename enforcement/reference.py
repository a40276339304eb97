"""The maintained list of laws and articles penalties rest on (处罚依据); administrators edit it in the admin.

``load_legal_bases()`` is idempotent: it creates missing rows and never overwrites what administrators changed."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

PQL = N_("《中华人民共和国产品质量法》")
APL = N_("《中华人民共和国行政处罚法》")
STD = N_("《中华人民共和国标准化法》")
MEASURE = N_("《中华人民共和国计量法》")
RECALL = N_("《消费品召回管理暂行规定》")

# (law, article, violation, penalty provision, violation type)
LEGAL_BASES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        PQL,
        N_("第四十九条"),
        N_("生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品"),
        N_(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品（包括已售出和未售出的产品）货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        N_("不符合强制性标准"),
    ),
    (
        PQL,
        N_("第五十条"),
        N_("在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品"),
        N_(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额百分之五十以上三倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        N_("掺杂掺假、以次充好"),
    ),
    (
        PQL,
        N_("第五十一条"),
        N_("生产国家明令淘汰的产品的，销售国家明令淘汰并停止销售的产品"),
        N_(
            "责令停止生产、销售，没收违法生产、销售的产品，并处违法生产、销售产品货值金额等值以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        N_("明令淘汰产品"),
    ),
    (
        PQL,
        N_("第五十二条"),
        N_("销售失效、变质的产品"),
        N_(
            "责令停止销售，没收违法销售的产品，并处违法销售产品货值金额二倍以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        N_("销售失效变质产品"),
    ),
    (
        PQL,
        N_("第五十三条"),
        N_("伪造产品产地，伪造或者冒用他人厂名、厂址，伪造或者冒用认证标志等质量标志"),
        N_(
            "责令改正，没收违法生产、销售的产品，并处违法生产、销售产品货值金额等值以下的罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照"
        ),
        N_("伪造冒用质量标志"),
    ),
    (
        PQL,
        N_("第五十四条"),
        N_("产品标识不符合本法第二十七条的规定"),
        N_(
            "责令改正；有包装的产品标识不符合规定，情节严重的，责令停止生产、销售，并处违法生产、销售产品货值金额百分之三十以下的罚款；有违法所得的，并处没收违法所得"
        ),
        N_("产品标识不符合规定"),
    ),
    (
        PQL,
        N_("第五十六条"),
        N_("拒绝接受依法进行的产品质量监督检查"),
        N_("给予警告，责令改正；拒不改正的，责令停业整顿；情节特别严重的，吊销营业执照"),
        N_("拒绝监督检查"),
    ),
    (
        PQL,
        N_("第六十三条"),
        N_("隐匿、转移、变卖、损毁被市场监督管理部门查封、扣押的物品"),
        N_("处被隐匿、转移、变卖、损毁物品货值金额等值以上三倍以下的罚款；有违法所得的，并处没收违法所得"),
        N_("隐匿转移查封扣押物品"),
    ),
    (
        STD,
        N_("第三十七条"),
        N_("生产、销售、进口产品或者提供服务不符合强制性标准"),
        N_(
            "依照《中华人民共和国产品质量法》等法律、行政法规的规定查处，记入信用记录，并依照有关法律、行政法规的规定予以公示"
        ),
        N_("不符合强制性标准"),
    ),
    (
        APL,
        N_("第三十三条"),
        N_("违法行为轻微并及时改正，没有造成危害后果；初次违法且危害后果轻微并及时改正"),
        N_("不予行政处罚；可以不予行政处罚"),
        N_("轻微违法不予处罚"),
    ),
    (
        MEASURE,
        N_("第二十七条"),
        N_("制造、销售、使用以欺骗消费者为目的的计量器具"),
        N_("没收计量器具和违法所得，处以罚款；情节严重的，并对个人或者单位直接责任人员依照刑法有关规定追究刑事责任"),
        N_("计量违法"),
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

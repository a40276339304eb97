"""Legal bases read in the page's language: the stored Chinese citation in Chinese, the law's English title and
"Art. N" in English, and free text never half translated."""

import pytest
from django.utils import translation

from core.legal_basis import chinese_number, legal_basis_label


@pytest.mark.parametrize(
    ("text", "number"), [("十", 10), ("十五", 15), ("四十四", 44), ("六十", 60), ("一百零二", 102), ("12", 12)]
)
def test_chinese_article_numbers(text, number):
    assert chinese_number(text) == number


def test_a_citation_stays_as_stored_in_chinese():
    with translation.override("zh-hans"):
        assert legal_basis_label("《中华人民共和国产品质量法》第十五条") == "《中华人民共和国产品质量法》第十五条"


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("《中华人民共和国产品质量法》第十五条", "Product Quality Law of the People's Republic of China, Art. 15"),
        (
            "《中华人民共和国行政处罚法》第六十四条、第八十五条",
            "Administrative Penalty Law of the People's Republic of China, Art. 64, Art. 85",
        ),
        (
            "《消费品召回管理暂行规定》第十二条至第十四条",
            "Interim Provisions on the Recall of Consumer Products, Art. 12 to Art. 14",
        ),
    ],
)
def test_a_citation_reads_in_english(stored, english):
    with translation.override("en"):
        assert legal_basis_label(stored) == english


def test_an_unknown_title_and_free_text_stay_as_written():
    with translation.override("en"):
        # Not in the catalogue: the title is kept, the article still reads in English.
        assert legal_basis_label("《某省产品质量条例》第三条") == "《某省产品质量条例》, Art. 3"
        # A sentence typed by staff is not turned into a mix of languages.
        sentence = "《中华人民共和国产品质量法》第四十九条和企业自认的事实"
        assert legal_basis_label(sentence).endswith("第四十九条和企业自认的事实")


def test_time_limits_show_their_basis_in_english(db):
    from core.timelimits import limit

    with translation.override("en"):
        assert limit("sampling.objection").basis_display.endswith(
            "Product Quality Law of the People's Republic of China, Art. 15"
        )


def test_a_lazy_basis_is_read_too():
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        assert legal_basis_label(gettext_lazy("《中华人民共和国产品质量法》第十五条")).endswith(", Art. 15")

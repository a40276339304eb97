"""USCC (GB 32100-2015) and region-code validation, and the database's uniqueness of the USCC."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.demo import make_uscc
from core.models import Enterprise, EnterpriseSize
from core.validators import is_valid_uscc, validate_region_code, validate_uscc

REAL_USCCS = ["914403001922038216", "9144030071526726XG", "91330100716105852F"]
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _with_wrong_check_character(code: str) -> str:
    wrong = _ALPHABET[(_ALPHABET.index(code[-1]) + 1) % len(_ALPHABET)]
    return code[:-1] + wrong


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_usccs_are_valid(code):
    validate_uscc(code)
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", REAL_USCCS)
def test_changed_check_character_is_rejected_in_chinese(code):
    bad = _with_wrong_check_character(code)

    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(bad)

    message = excinfo.value.messages[0]
    assert bad in message
    assert "校验码错误" in message
    assert not is_valid_uscc(bad)


@pytest.mark.parametrize(
    ("code", "reason"),
    [("91440300192203821", "长度应为 18 位"), ("91440300192203821I", "含有不允许的字符")],
)
def test_malformed_usccs_name_the_reason(code, reason):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert reason in excinfo.value.messages[0]


def test_generated_usccs_are_valid_and_carry_the_region():
    import random

    rng = random.Random(1)
    codes = [make_uscc("430102", rng) for _ in range(200)]

    assert all(is_valid_uscc(code) for code in codes)
    assert {code[2:8] for code in codes} == {"430102"}


@pytest.mark.parametrize("code", ["43010", "4301020", "43010A"])
def test_region_code_must_be_six_digits(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_region_code(code)
    assert "6 位数字" in excinfo.value.messages[0]


@pytest.mark.django_db
def test_enterprise_full_clean_reports_a_bad_uscc_in_chinese(regions):
    enterprise = Enterprise(
        name="长沙示例电器有限公司",
        uscc=_with_wrong_check_character(REAL_USCCS[0]),
        region=regions["430102"],
        size=EnterpriseSize.SMALL,
    )

    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()

    assert "uscc" in excinfo.value.message_dict
    assert "统一社会信用代码" in excinfo.value.message_dict["uscc"][0]
    assert "校验码错误" in excinfo.value.message_dict["uscc"][0]


@pytest.mark.django_db
def test_the_database_refuses_a_second_enterprise_with_the_same_uscc(regions):
    Enterprise.objects.create(
        name="深圳示例有限公司", uscc=REAL_USCCS[0], region=regions["440305"], size=EnterpriseSize.LARGE
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(
            name="另一家公司", uscc=REAL_USCCS[0], region=regions["430102"], size=EnterpriseSize.MICRO
        )

    assert Enterprise.objects.filter(uscc=REAL_USCCS[0]).count() == 1

import pytest
from vininfo import Vin

from recalls.tests.factories import vin
from recalls.vin import VinError, check_digit, parse_vin_ranges, validate_vin, with_check_digit

# VINs with a correct check digit (a US example with the digit "X", and the all-ones VIN).
GOOD = ["1M8GDM9AXKP042788", "11111111111111111"]


def test_check_digit_of_known_vins():
    assert check_digit("1M8GDM9AXKP042788") == "X"
    assert validate_vin("1m8gdm9a xkp-042788") == "1M8GDM9AXKP042788"
    assert validate_vin("11111111111111111") == "11111111111111111"


@pytest.mark.parametrize("serial", [0, 1, 7, 123456, 999999])
def test_generated_vins_agree_with_vininfo(serial):
    number = vin(serial, stem="1HGCM8263A0")
    assert validate_vin(number) == number
    assert Vin(number).verify_checksum(check_year=False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "不能为空"),
        ("LSVAU2180N218329", "应为 17 位，您输入了 16 位"),
        ("LSVAU2180N21832945", "应为 17 位，您输入了 18 位"),
        ("LSVAU2I80N2183294", "第 7 位是字母“I”，VIN 中不使用 I、O、Q（是否应为数字“1”？）"),
        ("LSVAU2180N2I83294", "第 12 位是字母“I”"),
        ("LSVAU21O0N2183294", "第 8 位是字母“O”"),
        ("QSVAU2180N2183294", "第 1 位是字母“Q”"),
        ("LSVAU2180N218329*", "第 17 位“*”不是允许的字符"),
        ("LSVAU2180N2183294", "第 9 位校验位应为“X”，实为“0”"),
    ],
)
def test_malformed_vins_say_what_is_wrong(value, message):
    with pytest.raises(VinError) as error:
        validate_vin(value)
    assert message in str(error.value)


def test_wrong_check_digit_refused_even_for_makers_vininfo_skips():
    good = with_check_digit("WVWZZZ1KZ8W000001")  # a VW (Europe) VIN: GB 16735 still requires the digit here
    assert validate_vin(good) == good
    wrong = good[:8] + ("1" if good[8] != "1" else "2") + good[9:]
    with pytest.raises(VinError, match="校验位"):
        validate_vin(wrong)


def test_parse_ranges_and_single_vins():
    text = f"{vin(100)}~{vin(199)}\n\n{vin(500)}\n{vin(600)} - {vin(601)}\n{vin(700)}-{vin(702)}"
    runs = parse_vin_ranges(text)
    assert [r.units for r in runs] == [100, 1, 2, 3]
    assert runs[0].stem == "LSVAU218N2" and runs[0].serial_from == "000100" and runs[0].serial_to == "000199"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (lambda: f"{vin(199)}~{vin(100)}", "起始 VIN 的生产序号大于截止 VIN"),
        (lambda: f"{vin(1)}~{vin(2, stem='LSVAU2180P2')}", "第 1–8 位和第 10–11 位必须相同"),
        (lambda: f"{vin(1)}\nLSVAU2180N218329", "VIN 清单第 2 行：应为 17 位"),
        (lambda: f"{vin(1)}~{vin(2)}~{vin(3)}", "应为一个 VIN"),
    ],
)
def test_bad_ranges(text, message):
    with pytest.raises(VinError) as error:
        parse_vin_ranges(text())
    assert message in str(error.value)


def test_good_examples_are_valid():
    for number in GOOD:
        assert validate_vin(number)

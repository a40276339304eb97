from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015), checked by python-stdnum."""
    try:
        stdnum_uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”无效：%(reason)s"),
            params={"value": value, "reason": uscc_error_reason(exc)},
            code="invalid_uscc",
        ) from exc


def uscc_error_reason(exc: Exception) -> str:
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

    if isinstance(exc, InvalidLength):
        return str(_("长度应为 18 位"))
    if isinstance(exc, InvalidChecksum):
        return str(_("校验码错误"))
    if isinstance(exc, InvalidFormat):
        return str(_("含有不允许的字符"))
    return str(_("格式不正确"))


def is_valid_uscc(value: str) -> bool:
    return stdnum_uscc.is_valid(value)


def validate_region_code(value: str) -> None:
    if not (len(value) == 6 and value.isdigit()):
        raise ValidationError(_("行政区划代码应为 6 位数字"), code="invalid_region_code")

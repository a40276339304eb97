"""The published Chinese words of the interchange format and the stored values they stand for."""

from core.models import EnterpriseSize
from sampling.models import Stage, TaskLevel, Verdict

# Spreadsheet words → stored values. Keys are the published Chinese terms, never translated.
SIZE_VALUES = {
    "大型": EnterpriseSize.LARGE,
    "中型": EnterpriseSize.MEDIUM,
    "小型": EnterpriseSize.SMALL,
    "微型": EnterpriseSize.MICRO,
}
STAGE_VALUES = {"生产": Stage.PRODUCTION, "流通": Stage.CIRCULATION, "电商": Stage.ECOMMERCE}
VERDICT_VALUES = {"合格": Verdict.PASS, "不合格": Verdict.FAIL}
LEVEL_VALUES = {"国家": TaskLevel.NATIONAL, "省": TaskLevel.PROVINCE, "市": TaskLevel.CITY, "县": TaskLevel.COUNTY}

"""Bulk import of sampling results from the interchange spreadsheet (抽查结果导入).

Domain rule: the whole file is validated first and every bad row is reported with its row number,
column and reason; one bad row means nothing is written. Batches are keyed by (task, sample number),
so importing the same file twice updates instead of duplicating.
"""

from sampling.services.importing.service import import_sampling
from sampling.services.importing.summary import ImportSummary, RowError
from sampling.services.importing.vocabulary import LEVEL_VALUES, SIZE_VALUES, STAGE_VALUES, VERDICT_VALUES

__all__ = [
    "LEVEL_VALUES",
    "SIZE_VALUES",
    "STAGE_VALUES",
    "VERDICT_VALUES",
    "ImportSummary",
    "RowError",
    "import_sampling",
]

"""The demo loader evaluates the signals for every year with data, and running it twice adds nothing."""

import pytest

from credit.models_warnings import EarlyWarning, SignalCode, WarningSignal
from credit.warnings.demo import load_demo_warnings
from credit.warnings.tests.data import planted_drop


@pytest.mark.django_db
def test_load_demo_warnings_is_idempotent(regions):
    planted_drop()
    line = load_demo_warnings()
    count = EarlyWarning.objects.count()
    assert "2014、2015、2016、2017" in line and f"未办结预警 {count} 条" in line
    assert EarlyWarning.objects.filter(signal=SignalCode.PASS_RATE_DROP_TYPE, period="2017").exists()
    assert WarningSignal.objects.count() == len(SignalCode.values)
    load_demo_warnings()
    assert EarlyWarning.objects.count() == count

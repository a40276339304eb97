"""Table-driven: every edge of each recall workflow is allowed, every other pair is refused — by the table
and by the services that write the status."""

import datetime as dt
from types import SimpleNamespace

import pytest

from core.errors import DomainError
from core.models import Role
from core.transitions import TransitionRefused
from recalls.models import RecallStatus
from recalls.services import recalls as services
from recalls.tests import factories as f
from recalls.transitions import DEFECT_REPORT_FLOW, INVESTIGATION_FLOW, RECALL_FLOW

FLOWS = [RECALL_FLOW, DEFECT_REPORT_FLOW, INVESTIGATION_FLOW]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.name)
def test_every_pair_is_allowed_exactly_when_the_table_says_so(flow):
    for source, target in flow.all_pairs():
        record = SimpleNamespace(**{flow.field: source})
        if (source, target) in flow.edges():
            flow.require(record, target)
        else:
            with pytest.raises(TransitionRefused, match="不能变更为"):
                flow.require(record, target)


def test_every_state_is_in_the_table():
    for flow in FLOWS:
        assert set(flow.table) == set(flow.states.values)


@pytest.mark.django_db
def test_services_refuse_moves_outside_the_table(regions):
    maker = f.producer()
    account = f.producer_account(maker)
    leader = f.staff(Role.LEADER, "430102")
    recall = f.filed_recall(account, maker)
    # 备案 → 完成 / 实施结束 are not edges: the services refuse them whatever the user may do.
    recall.status = RecallStatus.FILED
    with pytest.raises(DomainError):
        services.recall_end(user=account, recall=recall, ended_on=dt.date(2026, 4, 1))
    recall = services.recall_publish_notice(user=leader, recall=recall, on=dt.date(2026, 3, 4))
    with pytest.raises(DomainError):
        services.recall_publish_notice(user=leader, recall=recall, on=dt.date(2026, 3, 5))
    services.recall_terminate(user=leader, recall=recall, reason="撤回", on=dt.date(2026, 3, 6))
    with pytest.raises(DomainError):
        services.recall_terminate(user=leader, recall=recall, reason="再次", on=dt.date(2026, 3, 7))

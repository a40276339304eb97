"""Core's write of the credit class that the credit app computes: one enterprise, or many at once from a table."""

import pytest
from django.db import connection

from core.services import enterprise_set_credit_classes
from core.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _source(rows):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE new_classes (enterprise_id bigint, credit_class varchar(1))")
        cursor.executemany("INSERT INTO new_classes VALUES (%s, %s)", rows)


def test_many_classes_are_written_at_once_and_only_changes_count(regions):
    a, b, c = EnterpriseFactory(credit_class="A"), EnterpriseFactory(credit_class="B"), EnterpriseFactory()
    _source([(a.pk, "A"), (b.pk, "D"), (c.pk, "C")])

    assert enterprise_set_credit_classes(source="new_classes") == 2

    for enterprise, expected in ((a, "A"), (b, "D"), (c, "C")):
        enterprise.refresh_from_db()
        assert enterprise.credit_class == expected


def test_an_unknown_class_refuses_the_whole_write(regions):
    a, b = EnterpriseFactory(credit_class="A"), EnterpriseFactory(credit_class="B")
    _source([(a.pk, "D"), (b.pk, "X")])

    with pytest.raises(ValueError):
        enterprise_set_credit_classes(source="new_classes")

    a.refresh_from_db()
    assert a.credit_class == "A"
    with pytest.raises(ValueError):
        enterprise_set_credit_classes(source="new_classes; DROP TABLE core_enterprise")

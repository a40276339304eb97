"""A large-ish import (3,000 rows): refused whole on a bad last row, written a chunk at a time in one transaction,
and never holding all its rows as validated objects."""

from __future__ import annotations

import gc

import pytest

from core.models import Enterprise
from core.tests.factories import make_uscc
from sampling.models import FollowUp, Sample, SamplingTask
from sampling.models import TestResult as Result
from sampling.services.importing import import_sampling
from sampling.services.importing import service as import_service
from sampling.services.importing.validation import BatchRow
from sampling.tests.data.spreadsheets import make_reference_data, row, write_csv, write_xlsx

ROWS = 3000


@pytest.fixture
def ref(regions):
    return make_reference_data(regions)


def many_rows(ref, count: int = ROWS) -> list[dict]:
    """``count`` batches of the two known enterprises and a new one; every 10th fails."""
    stranger = Enterprise(name="新建电器有限公司", uscc=make_uscc("430102"), region_id="430102")
    owners = [ref["furong"], ref["tianxin"], stranger]
    rows = []
    for n in range(1, count + 1):
        overrides = {"检验结论": "不合格", "不合格项目": "泄漏电流"} if n % 10 == 0 else {}
        rows.append(row(owners[n % 3], f"L{n:05d}", **overrides))
    return rows


def test_a_bad_last_row_of_a_large_file_refuses_the_whole_file(ref, tmp_path):
    # Given 3,000 rows, all good except the very last one (a wrong check character), and a new task to create
    rows = many_rows(ref)
    for values in rows:
        values["任务编号"] = "HN2017-NEW"
    bad = rows[-1]["统一社会信用代码"]
    rows[-1]["统一社会信用代码"] = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    path = write_xlsx(tmp_path / "large.xlsx", rows)
    enterprises = Enterprise.objects.count()

    # When it is imported (creating what is missing)
    summary = import_sampling(file=path, create_missing=True)

    # Then the one error names the last row and its column, in Chinese, and nothing at all is written
    assert [(e.row, e.column) for e in summary.errors] == [(ROWS + 1, "统一社会信用代码")]
    assert str(summary.errors[0]).startswith(f"第 {ROWS + 1} 行，列“统一社会信用代码”：")
    assert Sample.objects.count() == 0 and Result.objects.count() == 0
    assert Enterprise.objects.count() == enterprises
    assert not SamplingTask.objects.filter(code="HN2017-NEW").exists()


def test_a_large_file_is_written_in_chunks_and_a_failure_in_a_late_chunk_writes_nothing(ref, tmp_path, monkeypatch):
    # Given 3,000 good rows, written 1,000 at a time, and a database error while the third chunk is written
    path = write_csv(tmp_path / "large.csv", many_rows(ref))
    monkeypatch.setattr(import_service, "WRITE_CHUNK", 1000)
    real_write = import_service.write_batches
    calls = []

    def failing_third_chunk(plan, batches, items_of):
        calls.append(len(batches))
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_write(plan, batches, items_of)

    monkeypatch.setattr(import_service, "write_batches", failing_third_chunk)

    # When it is imported
    with pytest.raises(RuntimeError):
        import_sampling(file=path, create_missing=True)

    # Then the first two chunks, already written, are rolled back with the rest
    assert calls == [1000, 1000, 1000]
    assert Sample.objects.count() == 0 and FollowUp.objects.count() == 0
    assert not Enterprise.objects.filter(name="新建电器有限公司").exists()


def test_a_large_file_keeps_one_chunk_of_rows_in_memory_and_reimports_idempotently(ref, tmp_path, monkeypatch):
    # Given 3,000 good rows written 500 at a time; count the validated rows alive whenever a chunk is written
    path = write_xlsx(tmp_path / "large.xlsx", many_rows(ref))
    monkeypatch.setattr(import_service, "WRITE_CHUNK", 500)
    real_write = import_service.write_batches
    alive = []

    def counting_write(plan, batches, items_of):
        gc.collect()
        alive.append(sum(1 for obj in gc.get_objects() if type(obj) is BatchRow))
        return real_write(plan, batches, items_of)

    monkeypatch.setattr(import_service, "write_batches", counting_write)

    # When it is imported
    summary = import_sampling(file=path, create_missing=True)

    # Then every batch is written, its failures open their notice step, and at most one chunk of rows was alive
    assert summary.errors == []
    assert (summary.rows_read, summary.batches_created, summary.enterprises_created) == (ROWS, ROWS, 1)
    assert Sample.objects.count() == ROWS and Result.objects.filter(is_confirmed=True).count() == ROWS
    assert summary.notices_opened == ROWS // 10 == FollowUp.objects.count()
    assert len(alive) == ROWS // 500
    # One chunk, plus the first row of each enterprise the file creates (kept to create it from).
    assert max(alive) <= 500 + summary.enterprises_created

    # And importing it again changes nothing and opens nothing
    again = import_sampling(file=path, create_missing=True)
    assert (again.batches_created, again.batches_updated, again.notices_opened) == (0, ROWS, 0)
    assert Sample.objects.count() == ROWS and FollowUp.objects.count() == ROWS // 10

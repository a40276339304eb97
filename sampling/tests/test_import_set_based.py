"""The import's set-based writing (COPY into staging tables, then one INSERT … SELECT per table) and the set-based
after-confirmation step of its new batches (services.verdicts.new_results_confirmed_after): the same outcome as
the per-batch step, audited, counted, and all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import transaction

from core.models import Enterprise
from core.models_facts import EnterpriseFact
from sampling.models import FollowUp, FollowUpOutcome, ResultAmendment, Sample, SamplingTask
from sampling.models import TestResult as Result
from sampling.services import facts as sampling_facts
from sampling.services import verdicts
from sampling.services.importing import import_sampling
from sampling.services.importing import service as import_service
from sampling.services.rebuild import recount_task_progress
from sampling.tests.data.spreadsheets import make_reference_data, row, write_csv, write_xlsx
from sampling.tests.test_import_chunked import many_rows

ROWS = 120


@pytest.fixture
def ref(regions):
    return make_reference_data(regions)


class _RolledBack(Exception):
    pass


def _facts() -> list[tuple]:
    """The verdict facts, keyed by sample number and USCC instead of ids (two runs give other ids)."""
    sample_no = dict(Sample.objects.values_list("id", "sample_no"))
    uscc = dict(Enterprise.objects.values_list("id", "uscc"))
    sample_of_result = dict(Result.objects.values_list("id", "sample_id"))
    rows = []
    for f in EnterpriseFact.objects.filter(source_type=sampling_facts.SAMPLE_SOURCE):
        result_id, amendments = f.ref.split(".")
        rows.append(
            (
                sample_no[int(f.source_id)],
                f.kind,
                uscc[f.enterprise_id],
                f.uscc,
                f.region_code,
                f.occurred_on,
                f.source_label,
                sample_no[sample_of_result[int(result_id)]],
                amendments,
                f.summary,
                f.data,
                f.public_from,
                f.public_until,
                f.ends_id,
                f.recorded_by_id,
            )
        )
    return sorted(rows)


def _outcome(summary) -> dict:
    """Everything an import leaves behind that the after-confirmation step decides, without ids."""
    return {
        "summary": (summary.batches_created, summary.notices_opened, summary.chains_outside, summary.chains_closed),
        "facts": _facts(),
        "verdicts": sorted(Sample.objects.values_list("sample_no", "final_verdict")),
        "steps": sorted(
            FollowUp.objects.values_list(
                "sample__sample_no",
                "step",
                "time_limit__key",
                "started_on",
                "limit_amount",
                "limit_unit",
                "due_on",
                "done_on",
                "outcome",
                "note",
                "done_by_id",
            )
        ),
        "counters": sorted(
            SamplingTask.objects.values_list("code", "sampled_count", "tested_count", "failed_count", "published_count")
        ),
    }


def _import_and_roll_back(path, **kwargs) -> dict:
    try:
        with transaction.atomic():
            summary = import_sampling(file=path, create_missing=True, **kwargs)
            assert summary.errors == []
            outcome = _outcome(summary)
            raise _RolledBack
    except _RolledBack:
        pass
    assert not Sample.objects.exists()
    return outcome


def _per_batch_step(*, batches, **kwargs):
    return verdicts.results_confirmed_after(sample_ids=[b.sample_id for b in batches], **kwargs)


@pytest.mark.parametrize(("archive", "who"), [(False, None), (True, None), (False, "provincial_leader")])
def test_new_batches_are_settled_as_the_per_batch_step_settles_them(ref, tmp_path, monkeypatch, request, archive, who):
    # Given a file of new batches (every 10th fails, one new enterprise and a new task to create)
    rows = many_rows(ref, ROWS)
    for values in rows[::2]:
        values["任务编号"] = "HN2017-NEW"
    path = write_xlsx(tmp_path / "new.xlsx", rows)

    # When it is imported by the set-based step, and then (rolled back in between) by the per-batch step
    # (the set-based run records its facts through COPY, the per-batch run through the ORM's bulk_create)
    user = request.getfixturevalue(who) if who else None
    monkeypatch.setattr(sampling_facts, "COPY_FROM", 1)
    set_based = _import_and_roll_back(path, archive=archive, user=user)
    monkeypatch.setattr(sampling_facts, "COPY_FROM", 10**9)
    monkeypatch.setattr(import_service, "new_results_confirmed_after", _per_batch_step)
    per_batch = _import_and_roll_back(path, archive=archive, user=user)

    # Then both leave exactly the same facts, verdicts, follow-up steps, counters and summary
    assert set_based == per_batch
    assert len(set_based["facts"]) == ROWS
    failing = ROWS // 10
    assert sum(1 for fact in set_based["facts"] if fact[1] == sampling_facts.VERDICT_FAILED) == failing
    assert set_based["summary"] == ((ROWS, 0, failing, 0) if archive else (ROWS, failing, 0, 0))
    assert {step[8] for step in set_based["steps"]} == ({FollowUpOutcome.OUTSIDE} if archive else {""})
    assert {fact[-1] for fact in set_based["facts"]} == {user.pk if user else None}


def test_a_first_import_writes_history_with_its_context_facts_and_true_counters(ref, tmp_path):
    # Given 120 new batches
    path = write_csv(tmp_path / "new.csv", many_rows(ref, ROWS))

    # When they are imported
    summary = import_sampling(file=path, create_missing=True)

    # Then every batch and result has its insert event, carrying the import's audit context
    assert summary.errors == [] and summary.batches_created == ROWS
    sample_events = apps.get_model("sampling", "SampleEvent").objects.filter(pgh_label="insert")
    result_events = apps.get_model("sampling", "TestResultEvent").objects.filter(pgh_label="insert")
    assert sample_events.count() == ROWS and result_events.count() == ROWS
    for events in (sample_events, result_events):
        contexts = {event.pgh_context.metadata["source"] for event in events.select_related("pgh_context")}
        assert contexts == {"sampling.import"}
    assert set(sample_events.values_list("pgh_context__metadata__file", flat=True)) == {"new.csv"}
    # And one verdict fact per batch, referring to its confirmed first test, with the data of the ledger
    sample = Sample.objects.select_related("task", "product_type").get(sample_no="L00010")
    fact = EnterpriseFact.objects.get(source_type=sampling_facts.SAMPLE_SOURCE, source_id=str(sample.pk))
    first = Result.objects.get(sample=sample, is_retest=False)
    assert (fact.kind, fact.ref, fact.ends_id) == (sampling_facts.VERDICT_FAILED, f"{first.pk}.0", None)
    assert fact.summary == f"L00010 {sample.product_type.name} 不合格"
    assert fact.data == {**sampling_facts.sample_fact_data(sample), "failed_items": ["泄漏电流"]}
    assert EnterpriseFact.objects.filter(source_type=sampling_facts.SAMPLE_SOURCE).count() == ROWS
    # And the tasks' counters equal a fresh count
    assert recount_task_progress(dry_run=True) == []
    task = SamplingTask.objects.get(code=ref["task"].code)
    assert (task.sampled_count, task.tested_count, task.failed_count) == (ROWS, ROWS, ROWS // 10)


def test_a_failure_while_settling_the_last_chunk_writes_nothing(ref, tmp_path, monkeypatch):
    # Given 3 chunks of new batches, facts written through COPY, and the ledger failing while the last is settled
    monkeypatch.setattr(import_service, "WRITE_CHUNK", 40)
    monkeypatch.setattr(sampling_facts, "COPY_FROM", 1)
    path = write_csv(tmp_path / "new.csv", many_rows(ref, ROWS))
    real = sampling_facts.record_facts
    calls = []

    def failing_last(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("ledger unavailable")
        return real(rows, **kwargs)

    monkeypatch.setattr(sampling_facts, "record_facts", failing_last)
    enterprises = Enterprise.objects.count()

    # When the file is imported
    with pytest.raises(RuntimeError):
        import_sampling(file=path, create_missing=True)

    # Then nothing of the first two chunks stays: no batch, result, fact, step, history event or counter
    assert calls == [40, 40, 40]
    assert not Sample.objects.exists() and not Result.objects.exists() and not FollowUp.objects.exists()
    assert not EnterpriseFact.objects.exists()
    assert not apps.get_model("sampling", "SampleEvent").objects.exists()
    assert Enterprise.objects.count() == enterprises
    task = SamplingTask.objects.get(code=ref["task"].code)
    assert (task.sampled_count, task.tested_count, task.failed_count) == (0, 0, 0)


def test_many_facts_are_recorded_through_copy_once_each_in_the_order_offered(ref, monkeypatch):
    # Given 600 facts to record (above COPY_FROM), the last 100 offered twice in the same call
    enterprise = ref["furong"]
    rows = [
        sampling_facts.FactRow(
            enterprise_id=enterprise.pk,
            uscc=enterprise.uscc,
            region_code=enterprise.region_id,
            kind=sampling_facts.VERDICT_PASSED,
            source_type=sampling_facts.SAMPLE_SOURCE,
            source_id=str(n),
            source_label="S" * 200,
            occurred_on=dt.date(2026, 12, 3),
            ref=f"{n}.0",
            summary=f"第{n}批 \t \\ 合格",
            data={"sample_no": f"S{n}", "items": ["a,b", '"c"'], "n": n},
        )
        for n in range(500)
    ]
    assert len(rows) + 100 >= sampling_facts.COPY_FROM

    # When they are recorded, twice
    with transaction.atomic():
        sampling_facts.record_facts(rows + rows[-100:])
    with transaction.atomic():
        sampling_facts.record_facts(rows)

    # Then each is recorded once, in the order offered, with its text and data as given (label cut to 128)
    facts = list(EnterpriseFact.objects.order_by("id"))
    assert [f.source_id for f in facts] == [str(n) for n in range(500)]
    assert facts[7].summary == "第7批 \t \\ 合格" and len(facts[7].source_label) == 128
    assert facts[7].data == {"sample_no": "S7", "items": ["a,b", '"c"'], "n": 7}
    assert {f.recorded_by_id for f in facts} == {None} and all(f.recorded_at for f in facts)


def test_awkward_text_survives_the_staging_copy_and_a_changed_reimport_is_an_amendment(ref, tmp_path):
    # Given text with tabs, backslashes, quotes, braces and commas (COPY and array syntax), and a failing item list
    awkward = 'A\\B\t"C" {D}, E'
    first = [
        row(
            ref["furong"],
            "S1",
            商标=awkward,
            规格型号="M\\N",
            检验结论="不合格",
            不合格项目='标志"说明"；{外观},结构；a\\b',
        ),
        row(ref["tianxin"], "S2"),
    ]
    import_sampling(file=write_xlsx(tmp_path / "first.xlsx", first))

    # Then it is stored as it was in the file
    s1 = Sample.objects.get(sample_no="S1")
    assert (s1.brand, s1.model_spec, s1.final_verdict) == (awkward, "M\\N", "fail")
    assert Result.objects.get(sample=s1).failed_items == ['标志"说明"', "{外观},结构", "a\\b"]

    # When the same file comes again with S2 now failing
    again = [first[0], row(ref["tianxin"], "S2", 检验结论="不合格", 不合格项目="泄漏电流")]
    summary = import_sampling(file=write_xlsx(tmp_path / "again.xlsx", again))

    # Then only S2 changes: an amendment, its verdict, a new fact ending the old one, a notice step; S1 is untouched
    s2 = Sample.objects.get(sample_no="S2")
    assert (summary.batches_updated, summary.amendments, summary.notices_opened) == (2, 1, 1)
    assert s2.final_verdict == "fail"
    assert ResultAmendment.objects.filter(result__sample=s2).count() == 1
    facts = EnterpriseFact.objects.filter(source_id=str(s2.pk)).order_by("id")
    assert [f.kind for f in facts] == [sampling_facts.VERDICT_PASSED, sampling_facts.VERDICT_FAILED]
    assert facts[1].ends_id == facts[0].pk and facts[1].ref.endswith(".1")
    assert EnterpriseFact.objects.filter(source_id=str(s1.pk)).count() == 1
    assert recount_task_progress(dry_run=True) == []

"""Import of sampling results (抽查结果导入): formats, row errors, idempotence, items, create-missing, dry run."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from core.errors import DomainError
from core.models import Enterprise, Institution, ProductType
from core.tests.factories import make_uscc
from sampling.models import ItemResult, ResultAmendment, Sample, SamplingTask
from sampling.models import TestResult as Result
from sampling.services.importing import import_sampling
from sampling.tests.data.spreadsheets import (
    INSTITUTION,
    item,
    make_reference_data,
    row,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def ref(regions):
    return make_reference_data(regions)


def good_rows(ref) -> list[dict]:
    return [
        row(ref["furong"], "S001"),
        row(ref["furong"], "S002", 检验结论="不合格", 不合格项目="泄漏电流；标志和说明"),
        row(ref["tianxin"], "S003", 企业规模="大型", 抽样环节="电商", 抽样日期="2017/06/10"),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "utf-8", "utf-8-sig", "gb18030"])
def test_a_good_file_imports_in_each_accepted_format(ref, regions, tmp_path, kind):
    # Given three good rows saved as xlsx or as CSV in one of the accepted encodings
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "results.xlsx", good_rows(ref))
    else:
        path = write_csv(tmp_path / "results.csv", good_rows(ref), encoding=kind)

    # When it is imported
    summary = import_sampling(file=path)

    # Then three batches exist with their snapshot fields and confirmed first results
    assert summary.errors == []
    assert (summary.rows_read, summary.batches_created, summary.batches_updated) == (3, 3, 0)
    failed = Sample.objects.get(sample_no="S002")
    assert failed.final_verdict == "fail"
    assert (failed.region_id, failed.zone, failed.enterprise_size, failed.year) == ("430102", "central", "small", 2017)
    result = failed.results.get()
    assert result.is_confirmed and result.verdict == "fail"
    assert result.failed_items == ["泄漏电流", "标志和说明"]
    assert result.report_no == "R-S002" and result.institution.name == INSTITUTION
    online = Sample.objects.get(sample_no="S003")
    assert (online.stage, online.enterprise_size, str(online.sampled_on)) == ("ecommerce", "large", "2017-06-10")
    assert online.enterprise == ref["tianxin"]


def test_every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_written(ref, tmp_path):
    # Given a file with one good row and several bad ones
    bad_uscc = ref["furong"].uscc[:-1] + ("0" if ref["furong"].uscc[-1] != "0" else "1")
    rows = [
        row(ref["furong"], "S001"),
        row(ref["furong"], "S002", 统一社会信用代码=bad_uscc),
        row(ref["furong"], "S003", 抽样日期="2017.05.03"),
        row(ref["furong"], "S004", 不合格项目="泄漏电流"),
        row(ref["furong"], "S005", 检验结论="不合格"),
        row(ref["furong"], "S006", 所在地区代码="439999", 企业规模="特大型"),
        row(ref["furong"], "S007", 产品名称="童装"),
        row(ref["furong"], "S001"),
        row(ref["furong"], "S009", 抽样环节="", 检验机构="不存在的检验所"),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    enterprises_before = Enterprise.objects.count()

    # When it is imported
    summary = import_sampling(file=path)

    # Then each problem names the spreadsheet row (header = row 1), the column and the reason
    assert [str(e) for e in summary.errors] == [
        "第 3 行，列“统一社会信用代码”：校验码错误",
        "第 4 行，列“抽样日期”：日期“2017.05.03”无效，应为 YYYY-MM-DD 或 YYYY/MM/DD",
        "第 5 行，列“不合格项目”：检验结论为合格时应为空",
        "第 6 行，列“不合格项目”：检验结论为不合格时必填",
        "第 7 行，列“所在地区代码”：行政区划代码“439999”不存在",
        "第 7 行，列“企业规模”：应为 大型 / 中型 / 小型 / 微型 之一",
        "第 8 行，列“产品名称”：产品名称“童装”不属于产品类别“电子电器产品”",
        "第 9 行，列“抽样单编号”：与第 2 行重复（同一任务内抽样单编号唯一）",
        "第 10 行，列“抽样环节”：必填",
        "第 10 行，列“检验机构”：检验机构“不存在的检验所”不存在",
    ]
    # And nothing was written, not even the good row
    assert Sample.objects.count() == 0
    assert Result.objects.count() == 0
    assert Enterprise.objects.count() == enterprises_before


def test_missing_required_columns_are_reported_once(ref, tmp_path):
    columns = ["抽样单编号", "任务编号", "抽样日期", "企业名称"]
    path = write_csv(tmp_path / "short.csv", [row(ref["furong"], "S001")] * 3, columns=columns)

    summary = import_sampling(file=path)

    missing = [e.column for e in summary.errors]
    assert "统一社会信用代码" in missing and "检验结论" in missing
    assert len(missing) == len(set(missing))
    assert {e.row for e in summary.errors} == {1}
    assert all(e.reason == "缺少必填列" for e in summary.errors)


def test_an_unsupported_file_type_is_refused(ref, tmp_path):
    path = tmp_path / "results.txt"
    path.write_text("抽样单编号\n")

    with pytest.raises(DomainError, match="不支持的文件类型"):
        import_sampling(file=path)


def test_importing_the_same_file_twice_updates_instead_of_duplicating(ref, tmp_path):
    path = write_xlsx(tmp_path / "results.xlsx", good_rows(ref), [item("S002", "泄漏电流", "不合格")])
    import_sampling(file=path)
    counts = (
        Sample.objects.count(),
        Result.objects.count(),
        ItemResult.objects.count(),
        Enterprise.objects.count(),
    )
    history = apps.get_model("sampling", "SampleEvent").objects.count()

    summary = import_sampling(file=path)

    assert summary.errors == []
    assert (summary.batches_created, summary.batches_updated) == (0, 3)
    assert (
        Sample.objects.count(),
        Result.objects.count(),
        ItemResult.objects.count(),
        Enterprise.objects.count(),
    ) == counts
    # Unchanged rows are not rewritten, so the history records no empty updates
    assert apps.get_model("sampling", "SampleEvent").objects.count() == history


def test_a_reimport_changes_the_stored_result(ref, tmp_path):
    import_sampling(file=write_csv(tmp_path / "a.csv", [row(ref["furong"], "S001")]))

    corrected = row(ref["furong"], "S001", 检验结论="不合格", 不合格项目="泄漏电流", 检验报告编号="R-2")
    summary = import_sampling(file=write_csv(tmp_path / "b.csv", [corrected]))

    assert summary.batches_updated == 1
    sample = Sample.objects.get()
    assert sample.final_verdict == "fail"
    assert sample.results.get().report_no == "R-2"
    # the batch row itself is unchanged; its final verdict is settled by the after-confirmation step
    events = apps.get_model("sampling", "SampleEvent").objects.filter(pgh_obj=sample)
    assert sorted(events.values_list("pgh_label", flat=True)) == ["insert", "update"]
    # and the confirmed result was corrected through an amendment with the result before and after
    amendment = ResultAmendment.objects.get()
    assert (amendment.before["report_no"], amendment.after["report_no"]) == ("R-S001", "R-2")
    assert (amendment.before["verdict"], amendment.after["verdict"]) == ("pass", "fail")
    assert "b.csv" in amendment.reason
    assert summary.amendments == 1


def test_items_sheet_is_stored_and_must_agree_with_the_batch_verdict(ref, tmp_path):
    # Given a passing batch S001 whose items sheet lists a failed item on items row 3
    items = [item("S001", "泄漏电流"), item("S001", "标志和说明", "不合格"), item("S002", "泄漏电流", "不合格")]
    path = write_xlsx(tmp_path / "results.xlsx", good_rows(ref), items)

    summary = import_sampling(file=path)

    assert [str(e) for e in summary.errors] == [
        "第 2 行，列“检验结论”：检验结论为合格，但检验项目表第 3 行“标志和说明”判定为不合格",
    ]
    assert ItemResult.objects.count() == 0


def test_items_from_a_second_csv_are_stored_with_their_verdicts(ref, tmp_path):
    main = write_csv(tmp_path / "results.csv", good_rows(ref))
    items = write_csv(
        tmp_path / "items.csv",
        [item("S001", "泄漏电流"), item("S002", "泄漏电流", "不合格"), item("S002", "标志和说明")],
        encoding="gb18030",
        columns=["抽样单编号", "检验项目", "标准要求", "实测值", "单项判定"],
    )

    summary = import_sampling(file=main, items_file=items)

    assert summary.errors == [] and summary.item_rows == 3
    stored = ItemResult.objects.filter(result__sample__sample_no="S002").order_by("order")
    assert [(i.item_name, i.verdict, i.requirement) for i in stored] == [
        ("泄漏电流", "fail", "≤ 0.75 mA"),
        ("标志和说明", "pass", "≤ 0.75 mA"),
    ]


def test_an_item_row_must_refer_to_a_batch_of_the_file(ref, tmp_path):
    main = write_csv(tmp_path / "results.csv", good_rows(ref))
    items = write_csv(tmp_path / "items.csv", [item("S404", "泄漏电流")], columns=list(item("x", "y")))

    summary = import_sampling(file=main, items_file=items)

    assert [str(e) for e in summary.errors] == ["检验项目：第 2 行，列“抽样单编号”：抽样单编号“S404”不在抽查结果表中"]


def test_unknown_task_and_enterprise_are_row_errors_without_create_missing(ref, tmp_path):
    stranger = Enterprise(name="新企业", uscc=make_uscc("430102"), region_id="430102")
    path = write_csv(tmp_path / "new.csv", [row(stranger, "N001", 任务编号="HN2018-09")])

    summary = import_sampling(file=path)

    assert [str(e) for e in summary.errors] == [
        "第 2 行，列“任务编号”：抽查任务“HN2018-09”不存在",
        "第 2 行，列“统一社会信用代码”：企业不存在（可勾选“创建缺失的任务和企业”）",
    ]


def test_create_missing_creates_the_task_enterprise_institution_and_product_type(
    ref, regions, tmp_path, county_inspector
):
    # Given rows of a task, an enterprise, an institution and a product type nobody entered yet
    stranger = Enterprise(name="长沙新开电器有限公司", uscc=make_uscc("430102"), region_id="430102")
    rows = [
        row(stranger, "N001", 任务编号="CS2018-02", 任务名称="2018年芙蓉区抽查", 抽查级别="县", 年度="2018",
            检验机构="长沙市检验所", 产品名称="电饭锅", 企业规模="微型"),
        row(stranger, "N002", 任务编号="CS2018-02", 任务名称="2018年芙蓉区抽查", 抽查级别="县", 年度="2018",
            检验机构="长沙市检验所", 产品名称="电饭锅", 企业规模="微型"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "new.csv", rows)

    # When an inspector imports it with create-missing
    summary = import_sampling(file=path, user=county_inspector, create_missing=True)

    # Then each is created once and the batches point at them
    assert summary.errors == []
    assert (summary.tasks_created, summary.enterprises_created, summary.batches_created) == (1, 1, 2)
    assert (summary.institutions_created, summary.product_types_created) == (1, 1)
    task = SamplingTask.objects.get(code="CS2018-02")
    assert (task.name, task.level, task.year, task.region_id) == ("2018年芙蓉区抽查", "county", 2018, "430102")
    assert task.created_by == county_inspector
    enterprise = Enterprise.objects.get(uscc=stranger.uscc)
    assert (enterprise.name, enterprise.size, enterprise.region_id) == ("长沙新开电器有限公司", "micro", "430102")
    assert ProductType.objects.get(name="电饭锅").group.name == "电子电器产品"
    assert Institution.objects.filter(name="长沙市检验所").exists()
    assert set(Sample.objects.values_list("year", flat=True)) == {2018}
    assert list(task.product_types.values_list("name", flat=True)) == ["电饭锅"]


def test_create_missing_needs_the_task_columns(ref, tmp_path):
    rows = [row(ref["furong"], "N001", 任务编号="NEW-1", 任务名称="", 抽查级别="乡")]
    path = write_csv(tmp_path / "new.csv", rows)

    summary = import_sampling(file=path, create_missing=True)

    assert [str(e) for e in summary.errors] == [
        "第 2 行，列“任务名称”：任务不存在时，创建任务需要填写",
        "第 2 行，列“抽查级别”：应为 国家 / 省 / 市 / 县 之一",
    ]
    assert not SamplingTask.objects.filter(code="NEW-1").exists()


def test_dry_run_validates_and_counts_but_writes_nothing(ref, tmp_path):
    stranger = Enterprise(name="新企业", uscc=make_uscc("430102"), region_id="430102")
    path = write_csv(tmp_path / "results.csv", [*good_rows(ref), row(stranger, "S004")])

    summary = import_sampling(file=path, create_missing=True, dry_run=True)

    assert summary.errors == [] and summary.dry_run
    assert (summary.batches_created, summary.enterprises_created) == (4, 1)
    assert Sample.objects.count() == 0
    assert not Enterprise.objects.filter(uscc=stranger.uscc).exists()


def test_a_row_outside_the_importers_jurisdiction_is_refused(ref, tmp_path, neighbour_inspector):
    path = write_csv(tmp_path / "results.csv", [row(ref["furong"], "S001")])

    summary = import_sampling(file=path, user=neighbour_inspector)

    assert [str(e) for e in summary.errors] == ["第 2 行，列“所在地区代码”：地区“430102”不在您的管辖范围内"]


def test_the_import_is_labelled_in_the_audit_trail(ref, tmp_path, county_inspector):
    from pghistory.models import Context

    path = write_csv(tmp_path / "results.csv", [row(ref["furong"], "S001")])

    import_sampling(file=path, user=county_inspector)

    context = Context.objects.get(metadata__source="sampling.import")
    assert context.metadata["file"] == "results.csv"
    assert context.metadata["username"] == "furong_inspector"


def test_command_prints_the_summary(ref, tmp_path, capsys):
    path = write_csv(tmp_path / "results.csv", good_rows(ref), encoding="utf-8-sig")

    call_command("import_sampling", str(path))

    out = capsys.readouterr().out
    assert "读取行数：3" in out and "新增批次：3" in out
    assert Sample.objects.count() == 3


def test_command_prints_each_error_on_a_line_and_fails(ref, tmp_path, capsys):
    bad = ref["furong"].uscc[:-1] + ("0" if ref["furong"].uscc[-1] != "0" else "1")
    path = write_csv(
        tmp_path / "bad.csv", [row(ref["furong"], "S001"), row(ref["furong"], "S002", 统一社会信用代码=bad)]
    )

    with pytest.raises(CommandError):
        call_command("import_sampling", str(path), "--dry-run")

    assert "第 3 行，列“统一社会信用代码”：校验码错误" in capsys.readouterr().err
    assert Sample.objects.count() == 0


def test_command_dry_run_writes_nothing(ref, tmp_path, capsys):
    path = write_csv(tmp_path / "results.csv", good_rows(ref))

    call_command("import_sampling", str(path), "--dry-run")

    assert "试运行" in capsys.readouterr().out
    assert Sample.objects.count() == 0


def test_the_sheet_named_抽查结果_is_read_and_row_numbers_follow_a_title_row(ref, tmp_path):
    # Given a workbook whose first sheet is a note and whose results sheet starts with a title row
    from openpyxl import Workbook

    from sampling.services.spreadsheets import MAIN_COLUMNS

    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表为抽查结果"])
    sheet = workbook.create_sheet("抽查结果")
    sheet.append(["2017年省级监督抽查结果"])
    sheet.append(MAIN_COLUMNS)
    sheet.append([row(ref["furong"], "S001").get(c) for c in MAIN_COLUMNS])
    sheet.append([row(ref["furong"], "S002", 企业规模="巨型").get(c) for c in MAIN_COLUMNS])
    workbook.save(tmp_path / "titled.xlsx")

    summary = import_sampling(file=tmp_path / "titled.xlsx")

    # Then the error names the row as the spreadsheet shows it
    assert [str(e) for e in summary.errors] == ["第 4 行，列“企业规模”：应为 大型 / 中型 / 小型 / 微型 之一"]
    assert summary.rows_read == 2


def test_items_of_a_bad_row_are_not_reported_as_unknown(ref, tmp_path):
    rows = [row(ref["furong"], "S001", 企业规模="巨型")]
    path = write_xlsx(tmp_path / "results.xlsx", rows, [item("S001", "泄漏电流")])

    summary = import_sampling(file=path)

    assert [str(e) for e in summary.errors] == ["第 2 行，列“企业规模”：应为 大型 / 中型 / 小型 / 微型 之一"]

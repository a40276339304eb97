"""Sample records (抽样单) and their photos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from constance import config
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.models import Enterprise, ProductType, Region, Role, User
from core.selectors import region_in_jurisdiction
from core.uploads import CheckedFile, check_image
from sampling import policies
from sampling.models import Sample, SamplePhoto, SamplingTask, Stage, TaskStatus
from sampling.services.draw import drawn_inspectors_for
from sampling.services.tasks import task_set_status

SAMPLING_ROLES = ("inspector", "leader", "administrator")
INSPECTORS_PER_SAMPLE = 2


def _zone_of(region: Region) -> str:
    """The economic zone (东/中/西) is the province's."""
    if region.zone:
        return region.zone
    province_code = region.code[:2] + "0000"
    return Region.objects.filter(code=province_code).values_list("zone", flat=True).first() or ""


@transaction.atomic
def sample_register(
    *,
    user: User,
    task: SamplingTask,
    sample_no: str,
    enterprise: Enterprise,
    product_type: ProductType,
    brand: str = "",
    model_spec: str = "",
    production_batch: str = "",
    stage: str,
    place: str = "",
    sampled_on: dt.date,
    quantity: str = "",
    base_price: Decimal | None = None,
    inspectors: Iterable[User],
) -> Sample:
    """Register a sampled batch: the enterprise must be in the user's jurisdiction and the task's region, the
    product one of the task's, two inspectors sign (每次抽样两名执法人员), the number unique in the task; the
    region, zone, enterprise size and year are copied onto the sample for scoping and statistics."""
    if not policies.can_register_samples(user):
        raise PermissionDenied(_("您的角色无权登记抽样单。"))
    sample_no = sample_no.strip()
    if not sample_no:
        raise DomainError(_("抽样单编号：不能为空。"))
    # The task's current draw may send an inspector to an enterprise outside his own county (双随机).
    drawn = set(drawn_inspectors_for(task, enterprise))
    if not region_in_jurisdiction(user, enterprise.region_id) and user.pk not in drawn:
        raise PermissionDenied(_("受检企业：“%(name)s”不在您的管辖范围内。") % {"name": enterprise.name})
    task = SamplingTask.objects.select_for_update().select_related("region").get(pk=task.pk)
    if task.status == TaskStatus.COMPLETED:
        raise DomainError(_("抽查任务：任务“%(code)s”已完成，不能再登记抽样单。") % {"code": task.code})
    if not enterprise.region_id.startswith(task.region.scope_prefix):
        raise DomainError(
            _("受检企业：“%(name)s”不在任务“%(code)s”的组织地区（%(region)s）内。")
            % {"name": enterprise.name, "code": task.code, "region": task.region.name}
        )
    if not task.product_types.filter(pk=product_type.pk).exists():
        raise DomainError(
            _("产品名称：“%(product)s”不是任务“%(code)s”的抽查产品。")
            % {"product": product_type.name, "code": task.code}
        )
    if stage not in Stage.values:
        raise DomainError(_("抽样环节：“%(stage)s”不是有效的环节。") % {"stage": stage})
    if sampled_on > timezone.localdate():
        raise DomainError(_("抽样日期：不能晚于今天。"))
    if base_price is not None and base_price < 0:
        raise DomainError(_("抽样基数/单价：不能为负数。"))
    inspectors = list({inspector.pk: inspector for inspector in inspectors}.values())
    if len(inspectors) < INSPECTORS_PER_SAMPLE:
        raise DomainError(_("抽样人员：每次抽样至少需要 2 名抽样人员。"))
    for inspector in inspectors:
        if not inspector.is_active or inspector.role != Role.INSPECTOR:
            raise DomainError(_("抽样人员：%(name)s 不是在岗的抽样人员。") % {"name": inspector.display_name})
        if not region_in_jurisdiction(inspector, enterprise.region_id) and inspector.pk not in drawn:
            raise DomainError(
                _("抽样人员：%(name)s 无权在%(region)s抽样。")
                % {"name": inspector.display_name, "region": enterprise.region.name}
            )
    if Sample.objects.filter(task=task, sample_no=sample_no).exists():
        raise DomainError(_("抽样单编号：“%(no)s”在任务“%(code)s”中已存在。") % {"no": sample_no, "code": task.code})

    region = enterprise.region
    sample = Sample.objects.create(
        task=task,
        sample_no=sample_no,
        enterprise=enterprise,
        product_type=product_type,
        brand=brand.strip(),
        model_spec=model_spec.strip(),
        production_batch=production_batch.strip(),
        stage=stage,
        place=place.strip(),
        sampled_on=sampled_on,
        quantity=quantity.strip(),
        base_price=base_price,
        region=region,
        zone=_zone_of(region),
        enterprise_size=enterprise.size,
        year=task.year,
        created_by=user,
    )
    sample.inspectors.set(inspectors)
    if task.status in (TaskStatus.PLANNED, TaskStatus.DRAWN):
        task_set_status(task=task, to=TaskStatus.IN_PROGRESS)
    return sample


def check_photo(upload) -> CheckedFile:
    """Only JPEG or PNG images up to the configured size (PHOTO_MAX_MB), detected by content and re-encoded."""
    return check_image(upload, max_mb=int(config.PHOTO_MAX_MB), what=_("照片"))


def sample_photo_add(*, user: User, sample: Sample, image, caption: str = "") -> SamplePhoto:
    """Attach a photo of the sampling to a sample of the user's jurisdiction."""
    if not user.has_role(*SAMPLING_ROLES):
        raise PermissionDenied(_("您的角色无权上传抽样照片。"))
    if not policies.can_add_photo(user, sample):
        raise PermissionDenied(_("该抽样单不在您的管辖范围内。"))
    checked = check_photo(image)
    return SamplePhoto.objects.create(
        sample=sample, image=checked.content, caption=caption.strip()[:128], uploaded_by=user
    )


@transaction.atomic
def sample_receive(*, user: User, sample: Sample, received_on: dt.date, condition: str) -> Sample:
    """收样: the task's testing institution records the date the sample arrived and its condition (once)."""
    sample = Sample.objects.select_for_update().select_related("task").get(pk=sample.pk)
    if not policies.can_receive_sample(user, sample):
        if sample.received_on is not None:
            raise DomainError(_("收样：该样品已于 %(on)s 登记收样。") % {"on": sample.received_on})
        raise PermissionDenied(_("只有该任务的承检机构可以登记收样。"))
    condition = (condition or "").strip()
    if not condition:
        raise DomainError(_("样品状态：必须填写（如“包装完好、封条完整”）。"))
    if received_on > timezone.localdate():
        raise DomainError(_("收样日期：不能晚于今天。"))
    if received_on < sample.sampled_on:
        raise DomainError(_("收样日期：不能早于抽样日期 %(on)s。") % {"on": sample.sampled_on.isoformat()})
    sample.received_on, sample.received_condition, sample.received_by = received_on, condition, user
    sample.save(update_fields=["received_on", "received_condition", "received_by", "updated_at"])
    return sample

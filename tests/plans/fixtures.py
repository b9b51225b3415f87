"""Plans for tests: the real Tomsk plan-schedule (seed 002) with «ОО» mapped to school1."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from itog.orgs.kinds import normalize_name
from itog.orgs.models import ActorAlias
from itog.plans.importing import parse_document, save_plan
from itog.plans.models import Assignment
from itog.plans.projection import instantiate, make_template
from itog.plans.tracking import report_progress
from tests.seeds import seed_path


def import_seed(region, prefix: str, user=None):
    path = seed_path(prefix)
    data = path.read_bytes()
    doc = parse_document(data, path.name, region.ministry)
    return save_plan(doc, region.ministry, data, path.name, user=user)


def tiny_plans(region) -> dict[str, int]:
    ActorAlias.objects.filter(region=region.ministry, key=normalize_name("ОО")).update(
        org_kind="", organization=region.school1
    )
    plan = import_seed(region, "002")
    template = make_template(plan, "exam_day", date(2024, 2, 14))
    instance = instantiate(template, date(2025, 2, 12))
    asg1 = Assignment.objects.filter(item__plan=plan, organization=region.school1).order_by("pk").first()
    asg_rcoi = Assignment.objects.filter(item__plan=plan, organization=region.rcoi).order_by("pk").first()
    report = report_progress(
        asg1, region.user("school"), "done", "Приказ издан", [SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4 test")]
    )
    rcoi_only = (
        plan.items.exclude(assignments__organization=region.school1)
        .filter(assignments__organization=region.rcoi)
        .first()
    )
    return {
        "plan": plan.pk,
        "tpl": template.pk,
        "inst": instance.pk,
        "asg1": asg1.pk,
        "asg_rcoi": asg_rcoi.pk,
        "item1": asg1.item_id,
        "item_rcoi": rcoi_only.pk,
        "ev": report.evidence.get().pk,
    }

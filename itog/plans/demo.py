"""Demo data of the plans module: the four seed plans, loaded for the demo region,
and the essay plan-schedule re-projected onto this year's session."""

from __future__ import annotations

from datetime import date

from itog.calendar.workdays import nth_weekday
from itog.orgs.models import Organization

from .importing import parse_document, save_plan
from .models import Plan
from .projection import instantiate, make_template
from .seeds import SEED_PLANS, seed_file, seeds_dir

ESSAY_SEED = "000"
ESSAY_DAY_2023 = date(2023, 12, 6)  # the seed's «основной этап – 6 декабря 2023 года»


def essay_day(today: date) -> date:
    """The main essay date of the current academic year: the first Wednesday of December (п. 4.1)."""
    year = today.year if today.month >= 9 else today.year - 1
    return nth_weekday(year, 12, 2, 1)


def load_seed_plans(region: Organization, today: date, progress=print) -> list[Plan]:
    directory = seeds_dir()
    if directory is None:
        progress("  дорожные карты: каталог shared/seeds не найден (задайте ITOG_SEEDS_DIR) — пропущено")
        return []
    loaded = []
    for prefix, label in SEED_PLANS.items():
        path = seed_file(prefix)
        if path is None:
            progress(f"  дорожные карты: нет файла {prefix}_* в {directory}")
            continue
        data = path.read_bytes()
        doc = parse_document(data, path.name, region)
        title = doc.plan.title or label
        plan = Plan.objects.filter(region=region, title=title, template__isnull=True, is_template=False).first()
        if plan is None:
            plan = save_plan(doc, region, data, path.name)
            progress(f"  {label}: {len(doc.plan.items)} мероприятий, {len(doc.findings)} замечаний")
        loaded.append(plan)
        if (
            prefix == ESSAY_SEED
            and not plan.instances.exists()
            and not Plan.objects.filter(
                region=region, is_template=True, title__startswith="Шаблон: " + title[:50]
            ).exists()
        ):
            template = make_template(plan, "exam_day", ESSAY_DAY_2023)
            current = instantiate(
                template,
                essay_day(today),
                title=f"План-график итогового сочинения (изложения) — {essay_day(today):%d.%m.%Y}",
            )
            progress(f"  шаблон плана-графика сочинения перенесен на {current.anchor_date:%d.%m.%Y}")
    return loaded

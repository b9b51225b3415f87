"""Storage and destruction (section I): what is kept after a session and until when, destruction acts,
reminders. The dates are the kind's (``session.rules.retention``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from itog.conduct.models import DestructionAct, StorageItem, Work
from itog.exams.common import fmt_date
from itog.exams.models import ExamSession
from itog.exams.profiles import profile_for, profile_kw
from itog.exams.violations import Refused, refuse_if, violation
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization


def originals_reading(session: ExamSession) -> str:
    """How long originals are kept (L5): the region's profile, else the deployment's setting, else the
    kind's default reading."""
    profile = profile_for(session)
    if profile is not None and hasattr(profile, "originals_kept_until"):
        return str(profile.originals_kept_until)
    retention = session.rules.retention
    return getattr(settings, "ITOG_ORIGINALS_KEPT_UNTIL", retention.ORIGINALS_READING.value)


def _keeper(session: ExamSession, kind) -> str:
    """Who keeps ``kind`` in this region ("rcoi", "mouo", "responsible"): the region's profile
    (Kalmykia returns originals to МОУО/ОО), else the kind's table (п. 13.3: РЦОИ)."""
    retention = session.rules.retention
    if hasattr(retention, "storage_keeper"):
        return retention.storage_keeper(kind, **profile_kw(session))
    return retention.STORAGE_KEEPER[kind][0] if hasattr(retention, "STORAGE_KEEPER") else "rcoi"


def ensure_storage_items(session: ExamSession) -> int:
    """What must be kept after a session, with the first day destruction is allowed: copies with the
    responsible persons (D + 1 month, п. 8.1.1), originals and report forms in РЦОИ (1 March, п. 13; L5
    configurable) — or with the МОУО where the region's profile returns them there (Kalmykia).
    Idempotent."""
    if StorageItem.objects.filter(session=session).exists():
        return 0
    rcoi = Organization.objects.filter(path__startswith=session.region.path, kind=OrgKind.RCOI).first()
    works_by_mouo = Counter()
    for path in Work.objects.filter(session=session).values_list("application__registration_org__path", flat=True):
        parts = path.strip("/").split("/")
        works_by_mouo["/".join(parts[:2]) + "/"] += 1
    mouos = {o.path: o for o in Organization.objects.filter(path__in=list(works_by_mouo), kind=OrgKind.MOUO)}
    items = []
    retention = session.rules.retention
    if hasattr(retention, "kept_items"):  # a kind that names its own kept sets (the interview: recordings …)
        total = sum(works_by_mouo.values())
        for kind, text in retention.kept_items(total):
            items.append(
                StorageItem(
                    session=session,
                    kind=kind,
                    holder=rcoi or session.region,
                    quantity=total,
                    description=text,
                    destroy_not_before=retention.destroy_not_before(kind, session.date),
                )
            )
        StorageItem.objects.bulk_create(items)
        return len(items)
    reading = originals_reading(session)
    kw = profile_kw(session)
    for path, n in sorted(works_by_mouo.items()):
        holder = mouos.get(path) or rcoi
        items.append(
            StorageItem(
                session=session,
                kind=retention.StorageKind.COPY.value,
                holder=holder,
                quantity=n,
                description=f"Копии бланков ({holder.short_name or holder.name})",
                destroy_not_before=retention.destroy_not_before(
                    retention.StorageKind.COPY, session.date, reading, **kw
                ),
            )
        )
    total = sum(works_by_mouo.values())
    for kind, text in (
        (retention.StorageKind.ORIGINAL, "Оригиналы бланков"),
        (retention.StorageKind.REPORT_FORMS, "Отчетные формы"),
    ):
        first_day = retention.destroy_not_before(kind, session.date, reading, **kw)
        if _keeper(session, kind) == "mouo":  # returned to МОУО/ОО after processing (the region's profile)
            for path, n in sorted(works_by_mouo.items()):
                holder = mouos.get(path) or rcoi
                if holder is not None:
                    items.append(
                        StorageItem(
                            session=session,
                            kind=kind.value,
                            holder=holder,
                            quantity=n,
                            description=f"{text} ({holder.short_name or holder.name})",
                            destroy_not_before=first_day,
                        )
                    )
        elif rcoi is not None:
            items.append(
                StorageItem(
                    session=session,
                    kind=kind.value,
                    holder=rcoi,
                    quantity=total,
                    description=text,
                    destroy_not_before=first_day,
                )
            )
    StorageItem.objects.bulk_create(items)
    return len(items) + _keep_every_written_work(session, rcoi)


def _keep_every_written_work(session: ExamSession, rcoi) -> int:
    """п. 13.3 with L18: the items of originals and report forms count every written work — unfinished and
    removed ones too, not only the checked works counted above (per МОУО where the items are the МОУО's, the
    region's total where РЦОИ keeps them) — and the audio recordings of oral works are an item of their own
    (п. 13.3), kept with the originals. Returns the number of items added."""
    retention = session.rules.retention
    by_path, audio = originals_count(session)
    total = sum(by_path.values())
    for item in StorageItem.objects.filter(
        session=session, kind__in=[retention.StorageKind.ORIGINAL.value, retention.StorageKind.REPORT_FORMS.value]
    ).select_related("holder"):
        n = total if item.holder.kind == OrgKind.RCOI else by_path.get(item.holder.path, 0)
        if n > item.quantity:
            StorageItem.objects.filter(pk=item.pk).update(quantity=n)
    audio_kind = getattr(retention.StorageKind, "AUDIO", None)
    if not audio or audio_kind is None or rcoi is None:
        return 0
    StorageItem.objects.create(
        session=session,
        kind=audio_kind.value,
        holder=rcoi,
        quantity=audio,
        description="Аудиозаписи устной формы итогового сочинения (изложения)",
        destroy_not_before=retention.destroy_not_before(audio_kind, session.date, originals_reading(session)),
    )
    return 1


def due_for_destruction(user, today: date | None = None):
    today = today or timezone.localdate()
    return StorageItem.objects.for_user(user).filter(destroyed_at__isnull=True, destroy_not_before__lte=today)


def destroy(items: list[StorageItem], user, on: date, commission_text: str) -> DestructionAct:
    """Destroy kept items under one act; refused as a whole if any is not yet due (V73, V74)."""
    if not items:
        raise Refused([violation("X44")])
    if not commission_text.strip():
        raise Refused([violation("X45", field="commission_text")])
    problems = []
    for it in items:
        if it.destroyed_at is not None:
            problems.append(violation("X46", what=it.description))
        problems += it.session.rules.retention.check_destruction(
            it.kind, it.session.date, on, originals_reading(it.session), **profile_kw(it.session)
        )
    holders = {it.holder_id for it in items}
    if len(holders) > 1:
        problems.append(violation("X47"))
    refuse_if(problems)
    with transaction.atomic():
        holder = items[0].holder
        n = DestructionAct.objects.filter(holder=holder).count() + 1
        act = DestructionAct(
            number=f"{on:%Y}-{n:03d}",
            holder=holder,
            destroyed_on=on,
            commission_text=commission_text.strip()[:500],
            created_by=user,
        )
        act._history_user = user
        act.save()
        now = timezone.now()
        for it in items:
            it.destroyed_at, it.act = now, act
            it._history_user = user
            it.save()
    return act


def retention_reminders(today: date | None = None) -> dict[int, list[StorageItem]]:
    """Items due for destruction by holder — the reminder mail of ``itog retention remind``."""
    today = today or timezone.localdate()
    out = defaultdict(list)
    for it in StorageItem.objects.filter(destroyed_at__isnull=True, destroy_not_before__lte=today).select_related(
        "holder", "session"
    ):
        out[it.holder_id].append(it)
    return out


def send_retention_reminders(today: date | None = None) -> int:
    """One letter per holder listing the materials that may now be destroyed (and must be: п. 8.1.1 «организует
    их уничтожение по истечении этого срока», п. 13.3), to the people of the holder who may destroy them."""
    from django.core.mail import send_mail

    from itog.accounts.mail import recipients_of

    due = retention_reminders(today)
    emails_by_holder = recipients_of(due.keys(), {"retention:destroy"})
    sent = 0
    for holder_id, items in due.items():
        emails = emails_by_holder.get(holder_id)
        if not emails:
            continue
        lines = [
            f"- {it.description}, дата проведения {fmt_date(it.session.date)}, {it.quantity} шт.: "
            f"уничтожение возможно с {fmt_date(it.destroy_not_before)}"
            for it in items
        ]
        send_mail(
            f"«Итог»: истек срок хранения материалов ({len(items)})",
            "Срок хранения истек, материалы подлежат уничтожению с составлением акта (пп. 8.1.1, 13.3 "
            "Порядка):\n\n" + "\n".join(lines) + "\n\nРаздел «Хранение материалов» в «Итоге».",
            None,
            emails,
        )
        sent += 1
    return sent


def originals_count(session: ExamSession) -> tuple[dict[str, int], int]:
    """Works with originals to keep (п. 13.3) per МОУО path, and how many of them are oral (audio recordings).

    L18 (decided: deliver and keep): the originals of works marked «Не закончил»/«Удален» are not copied or
    checked (п. 7.11.4) but are kept with the others — every participant who wrote has originals
    (``rules.examday.has_originals``); absent and turned-away participants have none. Works without a day record
    (e.g. loaded from another system) count as written."""
    from itog.conduct.models import DayRecord

    has_originals = getattr(session.rules.examday, "has_originals", None)
    recorded = set()
    by_path: Counter = Counter()
    audio = 0

    def mouo_path(path: str) -> str:
        return "/".join(path.strip("/").split("/")[:2]) + "/"

    for app_id, state, oral, path in DayRecord.objects.filter(application__session=session).values_list(
        "application_id", "state", "application__oral_form", "application__registration_org__path"
    ):
        recorded.add(app_id)
        if has_originals is None or has_originals(state):
            by_path[mouo_path(path)] += 1
            audio += bool(oral)
    for app_id, oral, path in Work.objects.filter(session=session).values_list(
        "application_id", "application__oral_form", "application__registration_org__path"
    ):
        if app_id not in recorded:
            by_path[mouo_path(path)] += 1
            audio += bool(oral)
    return dict(by_path), audio

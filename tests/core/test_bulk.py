"""The fast insert with history writes the same rows as simple-history's ``bulk_create_with_history``."""

from __future__ import annotations

from datetime import date

from django.forms.models import model_to_dict
from simple_history.utils import bulk_create_with_history

from itog.core.bulk import create_with_history
from itog.exams.models import Consent, Participant, SupportingDocument


def people(region, first: int, n: int) -> list[Participant]:
    return [
        Participant(
            last_name="Орлов",
            first_name="Пётр",
            middle_name="" if i % 2 else "Ильич",
            sex="м",
            birth_date=date(2009, 5, 1 + i % 28),
            citizenship="Российская Федерация",
            document_type="Паспорт гражданина РФ",
            document_series="4511",
            document_number=f"{first + i}",
            category="student",
            school=region.school1,
            grade=11,
            class_letter="а",
            registration_org=region.school1,
        )
        for i in range(n)
    ]


def rows(model, pks, skip=("id", "history_id", "history_date", "participant", "added_at")) -> list[dict]:
    main = [
        {k: v for k, v in model_to_dict(o).items() if k not in skip}
        for o in model.objects.filter(pk__in=pks).order_by("pk")
    ]
    history = [
        {k: v for k, v in model_to_dict(h).items() if k not in skip}
        for h in model.history.model.objects.filter(id__in=pks).order_by("id")
    ]
    return main + history


def test_same_rows_as_simple_history(region):
    user = region.user("school")
    fast, slow = people(region, 1000, 120), people(region, 5000, 120)
    create_with_history(Participant, fast, user)
    bulk_create_with_history(slow, Participant, batch_size=50, default_user=user)
    assert all(p.pk for p in fast) and len({p.pk for p in fast}) == 120
    got = {p.pk: p.document_number for p in Participant.objects.filter(pk__in=[p.pk for p in fast])}
    assert got == {p.pk: p.document_number for p in fast}  # each instance got its own row's id
    strip = [{k: v for k, v in r.items() if k != "document_number"} for r in rows(Participant, [p.pk for p in fast])]
    assert strip == [
        {k: v for k, v in r.items() if k != "document_number"} for r in rows(Participant, [p.pk for p in slow])
    ]
    histories = Participant.history.model.objects.filter(id__in=[p.pk for p in fast])
    assert histories.count() == 120 and {h.history_type for h in histories} == {"+"}
    assert {h.history_user_id for h in histories} == {user.pk}

    consents = [Consent(participant=p, operator=region.ministry, signed_on=date(2026, 11, 1)) for p in fast]
    create_with_history(Consent, consents, user)
    slow_consents = [Consent(participant=p, operator=region.ministry, signed_on=date(2026, 11, 1)) for p in slow]
    bulk_create_with_history(slow_consents, Consent, default_user=user)
    assert rows(Consent, [c.pk for c in consents]) == rows(Consent, [c.pk for c in slow_consents])

    documents = [SupportingDocument(participant=p, kind="passport") for p in fast[:10]]
    create_with_history(SupportingDocument, documents, user)
    saved = SupportingDocument.objects.filter(pk__in=[d.pk for d in documents])
    assert saved.count() == 10 and all(d.added_at is not None for d in saved)  # auto_now_add set
    assert SupportingDocument.history.model.objects.filter(id__in=[d.pk for d in documents]).count() == 10

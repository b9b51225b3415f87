"""Exports of personal data against the consents they cover (приложение 3: A38 purposes, A39 third parties).

Each consent records, when it is given, the text version of the form and its purposes and third parties
(:class:`~itog.exams.models.Consent`). An export of personal data declares its purpose and recipient; it is
refused (X81) when a consent of a participant it covers does not name them — checked once per distinct recorded
wording (two columns streamed in one query for a list).
"""

from __future__ import annotations

from collections.abc import Iterable

from itog.exams.kinds import get_rules
from itog.exams.violations import refuse_if

OPERATOR_ITSELF = ""  # the operator's own processing: no third party (the rules module's OPERATOR_ITSELF)

# The purpose of the documents Itog itself prints and exports for conducting the exam (lists, statements,
# applications): the region's information system (РИС), A38's «формирование … РИС».
PURPOSE_RIS = "формирование РИС"


def check_pd_export(consents, purpose: str = PURPOSE_RIS, recipient: str = OPERATOR_ITSELF) -> None:
    """Refuse (X81) an export whose purpose (A38) or recipient (A39) a covered consent does not name."""
    seen: set[tuple] = set()
    for purposes, third_parties in _wordings(consents):
        key = (tuple(purposes or ()), tuple(third_parties or ()))
        if key in seen:
            continue
        seen.add(key)
        # A38, A39: the consent form's rule (приложение 3 of the essay procedure, through the registry)
        refuse_if(get_rules("essay").registration.check_pd_transfer(purpose, recipient, *key))


def _wordings(consents) -> Iterable[tuple]:
    if hasattr(consents, "values_list"):  # a queryset: two columns streamed, compared in Python
        return consents.values_list("purposes", "third_parties").iterator(chunk_size=5000)
    return ((c.purposes, c.third_parties) for c in consents)


def consents_covered_by(qs):
    """The consents of the participants an export covers: derived from the export's own queryset, which the
    caller has already scoped to the user (none for lists of other records)."""
    from itog.exams.models import Application, Consent, Participant

    if qs.model is Participant:
        return Consent.objects.filter(participant__in=qs.values("pk"))
    if qs.model is Application:
        return Consent.objects.filter(participant__in=qs.values("participant"))
    return Consent.objects.none()

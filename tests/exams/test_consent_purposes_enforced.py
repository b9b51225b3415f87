"""The consent's purposes and third parties (приложение 3; essay-procedure-rules.md A38, A39): recorded with
each consent when it is given, shown on the application page and its printed form, and exports of personal data
checked against them (X81) — through the application."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import load_workbook

from itog.exams.consents import check_pd_export
from itog.exams.kinds.essay.procedure import (
    CONSENT_PURPOSES,
    CONSENT_TEXT_VERSION,
    CONSENT_THIRD_PARTIES,
    check_pd_transfer,
)
from itog.exams.models import Consent
from itog.exams.violations import Refused
from tests.exams.fixtures import registered_application

pytestmark = pytest.mark.django_db


def test_a38_a39_recorded_with_the_consent_when_given_and_shown(login, region):
    """A38, A39: registration records the form's version, purposes and third parties on the consent; the
    application page and its printed form show them."""
    from pypdf import PdfReader

    app = registered_application(region)
    consent = app.participant.consents.get()
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert consent.purposes == list(CONSENT_PURPOSES) and consent.third_parties == list(CONSENT_THIRD_PARTIES)
    client = login("school")
    page = html.unescape(client.get(f"/applications/{app.pk}/").content.decode())
    assert "формирование ФИС" in page and "оператор РИС" in page and CONSENT_TEXT_VERSION in page
    response = client.get(f"/applications/{app.pk}/form.pdf")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Цели обработки (A38)" in text and "хранение данных о результатах" in text and "оператор ФИС" in text


def test_a38_a39_a_later_wording_does_not_rewrite_a_given_consent(region):
    """A38: the snapshot is the consent's own — a consent given under a narrower text keeps its narrower
    purposes; the export is checked against what that participant agreed to."""
    app = registered_application(region)
    Consent.objects.filter(pk=app.participant.consents.get().pk).update(
        text_version="ред. 0", purposes=["формирование ФИС"], third_parties=["оператор ФИС"]
    )
    with pytest.raises(Refused) as err:
        check_pd_export(app.participant.consents.all())  # the РИС is not among this consent's purposes
    assert err.value.violations[0].code == "X81" and "формирование РИС" in str(err.value)
    check_pd_export(app.participant.consents.all(), purpose="формирование ФИС", recipient="оператор ФИС")


def test_a39_transfer_only_to_the_fis_ris_operators():
    """A39: a third party outside the consent's (ФИС/РИС operators) is refused; the operator itself is not a
    third party; A38: a purpose outside the consent's is refused."""
    assert check_pd_transfer("формирование РИС", "", CONSENT_PURPOSES, CONSENT_THIRD_PARTIES) == []
    assert check_pd_transfer("формирование ФИС", "оператор ФИС", CONSENT_PURPOSES, CONSENT_THIRD_PARTIES) == []
    [v] = check_pd_transfer("формирование РИС", "страховая компания", CONSENT_PURPOSES, CONSENT_THIRD_PARTIES)
    assert v.code == "X81" and "получатель «страховая компания»" in v.message and "оператор РИС" in v.message
    [v] = check_pd_transfer("рассылка рекламы", "", CONSENT_PURPOSES, CONSENT_THIRD_PARTIES)
    assert "цель «рассылка рекламы»" in v.message


def test_a38_exports_of_personal_data_refused_outside_the_consent(login, region):
    """A38 through HTTP: the printed application and the participants' list export are refused when a covered
    consent does not name the РИС among its purposes; nothing is exported."""
    app = registered_application(region)
    client = login("school")
    ok = client.get(f"/sessions/{app.session.pk}/?export=xlsx")
    assert load_workbook(io.BytesIO(ok.content)).active.max_row == 2
    Consent.objects.filter(participant=app.participant).update(purposes=["формирование ФИС"])
    response = client.get(f"/applications/{app.pk}/form.pdf", follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "не предусмотрен(а) согласием участника" in html.unescape(response.content.decode())
    response = client.get(f"/sessions/{app.session.pk}/?export=xlsx", follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "цель «формирование РИС»" in html.unescape(response.content.decode())

"""One registry of violation codes and the one ``Refused`` exception (pure Python, no Django).

Every rule that refuses something answers with :class:`~itog.exams.kinds.base.Violation` values
whose code is registered here with the item of the source it enforces and its Russian message.
An exam kind registers its table when its codes module is imported
(``register(VALIDATIONS, owner="essay")``); the shared services register theirs below. A code
is registered once: registering the same code with another text is an error, so two kinds (or a
kind and a service) cannot silently give one code two meanings.

A service that refuses raises :class:`Refused` with the violations; the web layer shows their
messages, the audit log keeps their codes (``conduct.services.log_refusal``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from itog.exams.kinds.base import Severity, Violation

__all__ = ["Code", "Refused", "code_table", "message", "refuse_if", "register", "violation"]


class Refused(Exception):
    """A rule refused the action; ``violations`` say which and why (in Russian)."""

    def __init__(self, violations: Iterable[Violation] | str):
        if isinstance(violations, str):  # a refusal without a registered code (kept for old callers)
            violations = [Violation("X00", "", violations)]
        self.violations = list(violations)
        super().__init__("; ".join(v.message for v in self.violations))


@dataclass(frozen=True)
class Code:
    code: str
    item: str  # the item of the source («п. 7.11.3»)
    template: str  # the Russian message, with {placeholders} for str.format
    owner: str  # who registered it: an exam kind ("essay") or "services"


_CODES: dict[str, Code] = {}


def register(table: Mapping[str, tuple[str, str]], owner: str) -> None:
    """Register ``{code: (item, message template)}``. Registering a code again with the same text
    is a no-op (a module imported twice); with another text it is an error."""
    for code, (item, template) in table.items():
        new = Code(code, item, template, owner)
        old = _CODES.get(code)
        if old is not None and (old.item, old.template) != (item, template):
            raise ValueError(f"violation code {code} is already registered by {old.owner!r} with another text")
        _CODES[code] = new


def code_table() -> dict[str, Code]:
    """Every registered code (a copy)."""
    return dict(_CODES)


def message(code: str, /, **params: object) -> str:
    """The Russian message of ``code`` with its placeholders filled in."""
    template = _CODES[code].template
    return template.format(**params) if params else template


def violation(
    code: str,
    /,
    *,
    field: str | None = None,
    item: str | None = None,
    text: str | None = None,
    severity: Severity = Severity.ERROR,
    **params: object,
) -> Violation:
    """A :class:`Violation` of ``code`` (``item`` and ``text`` override the table's)."""
    entry = _CODES[code]
    return Violation(
        code=code, item=item or entry.item, message=text or message(code, **params), field=field, severity=severity
    )


def refuse_if(violations: Iterable[Violation]) -> None:
    """Raise :class:`Refused` with the errors among ``violations`` (warnings never refuse)."""
    errors = [v for v in violations if v.is_error]
    if errors:
        raise Refused(errors)


# ---------------------------------------------------------------- the shared services' own refusals
# (items are those of the essay's procedure, the only kind with services so far; a kind whose
# procedure words these differently passes ``item=``/``text=`` to :func:`violation`).

SERVICE_CODES: dict[str, tuple[str, str]] = {
    "X20": ("п. 5.1", "Участник с таким документом уже зарегистрирован на эту дату."),
    "X21": ("п. 3.2–3.3", "Нет заявлений для передачи."),
    "X30": ("п. 7.11.3", "Сведения о дне проведения вносятся не ранее дня проведения ({date})."),
    "X31": ("п. 7.11.4", "Работы уже переданы на проверку: изменить сведения дня проведения нельзя."),
    "X32": ("п. 8.1.1", "Укажите, кто передал и кто принял бланки."),
    "X33": ("п. 3.2", "В комиссиях по проверке этой даты нет экспертов."),
    "X34": ("п. 8.1.4", "Работа назначена другому эксперту."),
    "X35": (
        "п. 8.1.4",
        "Оценки по этой работе уже переданы руководителю комиссии; каждая работа проверяется "
        "один раз, изменить оценки нельзя.",
    ),
    "X36": ("п. 8.1.2", "Перенос возможен только для проверенной экспертом работы, оценки которой еще не перенесены."),
    "X37": ("п. 9.2", "Сначала отметьте обработку бланков завершенной (сверка)."),
    "X38": ("п. 11", "Результаты этой даты еще не объявлены."),
    "X39": ("п. 8.2.1", "Заявление о повторной проверке этой работы уже подано."),
    "X40": ("п. 3.1", "Решение по этому делу уже принято."),
    "X41": ("п. 8.2.4", "Укажите комиссию по перепроверке и повторной проверке."),
    "X42": ("п. 8.2.5", "Укажите номер протокола."),
    "X43": ("п. 10", "Заявление не найдено среди участников этой даты."),
    "X44": ("п. 13.3", "Не выбрано ни одного хранимого комплекта."),
    "X45": ("п. 13.3", "Укажите состав комиссии, уничтожившей материалы."),
    "X46": ("п. 13.3", "«{what}» уже уничтожено."),
    "X47": ("п. 13.2", "Один акт составляется на материалы одного держателя."),
    "X48": ("п. 8.2.3", "Не все коды работ найдены среди работ этой даты."),
    "X49": ("п. 8.1.2", "У пользователя нет роли «Уполномоченное лицо МОУО» в этом МОУО."),
    "X50": ("п. 8.1.2", "Укажите номер приказа МОУО."),
    "X54": (
        "п. 7.11.1",
        "Печать невозможна: участники не распределены по аудиториям (рассадка на D−1, п. 7.11.1). Выполните рассадку.",
    ),
    "X55": ("п. 7.11.4", "Укажите причину аннулирования кода."),
    "X56": ("пп. 3.1, 3.2", "Такую комиссию создает {creator} (п. 3.1, 3.2 Порядка)."),
    "X57": ("п. 3.1", "Для комиссии по проведению укажите место проведения."),
    "X58": ("п. 3.1", "Такая комиссия уже создана."),
    "X81": (
        "приложение 3 (согласие), A38, A39",
        "Выгрузка персональных данных невозможна: {what} не предусмотрен(а) согласием участника "
        "(согласие допускает: {allowed}).",
    ),
    "X83": (
        "п. 5.1",
        "{org} не входит в регион этой даты участия ({region}): заявление подается в месте регистрации региона.",
    ),
    "X84": (
        "приложение 3 (согласие), A41",
        "Персональные данные участника обезличены {date} по окончании срока хранения: {what} не печатается.",
    ),
    "X82": (
        "приложение 3 (согласие), A41",
        "Персональные данные участников {what} хранятся до {date} (срок хранения материалов); "
        "обезличивание ранее невозможно.",
    ),
}
register(SERVICE_CODES, owner="services")

"""Validation codes of the interview: ``I01``… with the item they enforce and the Russian message.

One registry for every interview module (same shape as the essay's ``VALIDATIONS``:
code → (item, message template)), so that the integrator can merge it into the one registry
of violation codes. Placeholders are ``str.format`` names.
"""

from __future__ import annotations

from itog.exams.kinds.base import Severity, Violation

P = "Порядок ГИА-9"  # short name in items; the full titles are in .sources
R = "Рекомендации"
S = "план-график (seed 002)"
F = "критерии ФИПИ"

# phase of each code (the essay's phases): pre_exam | exam_day | checking | after
VALIDATIONS: dict[str, tuple[str, str]] = {
    # calendar
    "I01": (
        f"{P}: сроки",
        "Дата {date} не соответствует расписанию итогового собеседования: основная дата — "
        "вторая среда февраля, дополнительные — вторая рабочая среда марта и {third}.",
    ),
    "I02": (f"{P}: сроки", "Для переноса даты проведения с {rule_date} на {new_date} необходимо указать основание."),
    "I03": (S, "Срок «{label}» истек {deadline}."),
    "I04": (S, "«{label}» — не ранее {start}."),
    # registration
    "I10": (
        f"{P}: участники",
        "Итоговое собеседование проводится для обучающихся IX классов и экстернов; "
        "категория «{category}» к нему не допускается.",
    ),
    "I11": (f"{P}: участники", "Итоговое собеседование проводится для обучающихся IX классов; указан {grade} класс."),
    "I12": (
        f"{P}: заявление",
        "Заявление подается не позднее чем за две недели до начала проведения "
        "итогового собеседования (не позднее {deadline}); подано {filed}.",
    ),
    "I13": (
        f"{P}: заявление",
        "К заявлению не приложено согласие на обработку персональных данных. Регистрация заявления невозможна.",
    ),
    "I14": (f"{P}: заявление", "Для участника с ОВЗ необходимо предъявить копию рекомендаций ПМПК."),
    "I15": (
        f"{P}: заявление",
        "Для ребенка-инвалида/инвалида необходимо предъявить оригинал или заверенную "
        "копию справки, подтверждающей инвалидность.",
    ),
    "I16": (
        f"{P}: продолжительность",
        "Увеличение продолжительности на 30 минут предусмотрено только для "
        "участников с ОВЗ, детей-инвалидов и инвалидов, представивших "
        "подтверждающие документы.",
    ),
    "I17": (
        f"{P}: заявление",
        "Заявление экстерна регистрируется в образовательной организации по его выбору; не указана организация.",
    ),
    "I18": (f"{P}: заявление", "Согласие на обработку персональных данных отозвано {date}; обработка невозможна."),
    # re-admission
    "I20": (
        f"{P}: повторный допуск",
        "Повторный допуск в дополнительные сроки предусмотрен при «незачете», "
        "неявке или незавершении по уважительной причине; оснований нет.",
    ),
    "I21": (
        f"{P}: повторный допуск",
        "Уважительная причина неявки/незавершения должна быть подтверждена документально.",
    ),
    "I22": (
        f"{P}: повторный допуск",
        "Повторный допуск возможен только в дополнительные даты текущего учебного года, следующие за датой участия.",
    ),
    # commission
    "I30": (
        f"{S}; {R}",
        "Комиссия по проведению и проверке формируется образовательной организацией не позднее "
        "{deadline} (за две недели до итогового собеседования).",
    ),
    "I31": (R, "В комиссии не назначен {role}."),
    "I32": (
        f"{R}; региональная настройка",
        "{name}: роли «{role1}» и «{role2}» не может совмещать один человек (региональная настройка).",
    ),
    "I33": (R, "Должен быть назначен один ответственный организатор; назначено {count}."),
    "I34": (R, "{name} назначен(а) одновременно в несколько аудиторий ({room})."),
    "I35": (R, "В аудитории {room} нет {role}."),
    # schedule
    "I40": (R, "Аудитория {room} не оснащена средствами аудиозаписи и не может использоваться для проведения."),
    "I41": (R, "Не назначено {what}."),
    "I42": (
        R,
        "Помещения ожидания и для завершивших собеседование должны быть разными и не совпадать с "
        "аудиториями проведения ({room}).",
    ),
    "I43": (
        R,
        "Участники не помещаются в расписание до {end}: не распределено {count} из {total}. "
        "Нужно еще аудиторий: {rooms_needed} (или перенести окончание на {needed_end}).",
    ),
    "I44": (R, "Участник {name} назначен в расписание дважды."),
    "I45": (
        R,
        "В ОО нет ни одной аудитории, оборудованной для аудиозаписи: собеседование проводится только в таких "
        "аудиториях. Отметьте их в справочнике мест («оборудована для аудиозаписи»).",
    ),
    # exam day
    "I50": (R, "{name}: ответ длился {minutes} мин — меньше {min_minutes} мин; проверьте отметки времени."),
    "I51": (R, "{name}: ответ длился {minutes} мин — больше {max_minutes} мин."),
    "I52": (R, "{name}: окончание ответа ({end}) раньше начала ({start})."),
    "I53": (R, "{name}: для отметки «{state}» необходимо указать причину."),
    "I54": (R, "{name}: окончание ответа не отмечено."),
    "I55": (R, "{name}: ответ уже начат в {start}."),
    "I56": (R, "{name}: отметка «Н» (не явился) несовместима с отметками времени."),
    "I57": (R, "В аудитории уже идет ответ участника {other}: сначала отметьте его окончание."),
    "I58": (R, "{name}: ответ не начат — отметьте начало."),
    "I59": (R, "Участник {participant} отсутствует в ведомости этой аудитории."),
    # audio
    "I60": (R, "Файл аудиозаписи не удалось прочитать: {reason}."),
    "I61": (R, "Формат файла не поддерживается ({found}); принимаются WAV, MP3, OGG (Opus, Vorbis)."),
    "I62": (
        R,
        "Длительность записи {actual} не согласуется с ведомостью ({expected}); допустимо расхождение "
        "±{tolerance} мин.",
    ),
    "I63": (
        R,
        "Запись участника {name} не содержит звука на участке ответа ({span}): уровень {rms} дБ ниже порога "
        "{threshold} дБ. Участник может быть перезаписан в дополнительный срок.",
    ),
    "I64": (
        R,
        "Запись обрезана: ответ участника {name} по ведомости идет до {end}, а запись заканчивается в {file_end}.",
    ),
    "I65": (R, "Такой файл уже загружен ({sha256})."),
    "I66": (R, "Запись перегружена (клиппинг {share} % отсчетов); оценка по записи может быть затруднена."),
    "I67": (R, "Файл слишком большой: {size} МБ при допустимых {limit} МБ."),
    "I68": (
        R,
        "Запись участника {name} почти без звука на участке ответа ({span}): звук есть лишь {share} % времени "
        "при минимуме {min_share} %. Участник может быть перезаписан в дополнительный срок.",
    ),
    "I69": (
        R,
        "Начало записи аудитории ({start}) позже начала ответа участника {name} ({first}) по ведомости: "
        "ответ записан не полностью.",
    ),
    # checking
    "I70": (F, "Критерий {code}: оценка {mark} вне допустимого диапазона 0–{max}."),
    "I71": (F, "Не выставлены оценки по критериям: {codes}."),
    "I72": (F, "Неизвестный критерий: {code}."),
    "I73": (F, "Оценки первого и второго ввода протокола не совпадают: {codes}."),
    "I74": (
        f"{P}: проверка",
        "Проверка ответов завершается не позднее {deadline} (пять календарных дней с даты проведения).",
    ),
    # retention
    "I80": ("хранение (правила сочинения, наше прочтение)", "{what} хранятся до {date}; уничтожение ранее невозможно."),
}

# The essay analysis's K.3 lists four validations of the Tomsk interview plan-schedule (V75–V78, rules J1–J10);
# the interview enforces them with its own codes. Read by the enforcement table
# (itog.exams.kinds.essay.enforcement): a K.3 code is enforced and tested where its codes are.
K3_COVERED_BY: dict[str, tuple[str, ...]] = {
    "V75": ("I12",),  # J1: participants assigned by I−14 — the application deadline, two weeks before
    "V76": ("I30",),  # J2: the commission formed by I−14
    "V77": ("I04",),  # J6: access to the КИМ from 07:30 of the day (the chain's «kim_available»)
    "V78": ("I74",),  # J8: checking done by I+5 inclusive (J9, J10 are the chain's I03 deadlines, not enforced)
}

PHASES: dict[str, str] = {}
for _code in VALIDATIONS:
    _n = int(_code[1:])
    PHASES[_code] = (
        "pre_exam"
        if _n < 50 and not 20 <= _n < 30
        else "after"
        if 20 <= _n < 30
        else "exam_day"
        if _n < 70
        else "checking"
        if _n < 80
        else "after"
    )
PRE_EXAM_CODES: frozenset[str] = frozenset(c for c, p in PHASES.items() if p == "pre_exam")

WARNING_CODES = frozenset({"I50", "I51", "I66"})


def message(code: str, /, **params: object) -> str:
    return VALIDATIONS[code][1].format(**params) if params else VALIDATIONS[code][1]


def violation(
    code: str, /, *, field: str | None = None, severity: Severity | None = None, **params: object
) -> Violation:
    """A :class:`Violation` of ``code`` with its message filled in (warnings by default for
    :data:`WARNING_CODES`)."""
    if severity is None:
        severity = Severity.WARNING if code in WARNING_CODES else Severity.ERROR
    return Violation(
        code=code, item=VALIDATIONS[code][0], message=message(code, **params), field=field, severity=severity
    )


def fmt_date(d) -> str:
    return d.strftime("%d.%m.%Y")

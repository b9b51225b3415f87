"""The acts the interview rules come from (cited next to every rule as ``SRC_…``).

Facts carry over from these acts; their wording here is ours. Item numbers of the federal
Порядок are given where we are sure of them; where we are not, the citation says «our reading».
"""

from __future__ import annotations

from datetime import date

from itog.exams.kinds.base import RuleSetInfo

# The federal Порядок ГИА-9 in force from 01.09.2023 (academic year 2023/24 on).
PORYADOK_2023 = (
    "Порядок проведения государственной итоговой аттестации по образовательным программам "
    "основного общего образования (приказ Минпросвещения России и Рособрнадзора "
    "от 04.04.2023 № 232/551)"
)
# The one before it (academic years up to 2022/23).
PORYADOK_2018 = (
    "Порядок проведения государственной итоговой аттестации по образовательным программам "
    "основного общего образования (приказ Минпросвещения России и Рособрнадзора "
    "от 07.11.2018 № 189/1513)"
)
# The federal recommendations issued with each year's campaign (letter of Рособрнадзор).
RECOMMENDATIONS = (
    "Рекомендации по организации и проведению итогового собеседования по русскому языку "
    "(письмо Рособрнадзора, ежегодно)"
)
# The federal criteria and specification of the КИМ (ФИПИ).
FIPI_CRITERIA = (
    "Спецификация и критерии оценивания контрольных измерительных материалов итогового "
    "собеседования по русскому языку (ФИПИ)"
)
# Seed 002: the Tomsk plan-schedule (shared/seeds/002_*).
SEED_002 = (
    "План-график проведения итогового собеседования по русскому языку на территории Томской "
    "области в феврале 2024 года (письмо Департамента общего образования Томской области "
    "от 25.01.2024 № 54-0370)"
)

RULESET = RuleSetInfo(
    region="Томская область",
    act="письмо Департамента общего образования Томской области",
    number="54-0370",
    signed_on=date(2024, 1, 25),
    title="О направлении плана-графика мероприятий по ИС-9",
)

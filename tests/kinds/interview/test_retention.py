from datetime import date

from itog.exams.kinds.interview.retention import check_destruction, destroy_not_before


def test_recordings_kept_like_the_essays_audio():
    # February 2024 exam (academic year 2023/24): kept until 1 March of the next academic year's spring
    assert destroy_not_before("recording", date(2024, 2, 14)) == date(2025, 3, 1)
    assert check_destruction("recording", date(2024, 2, 14), date(2025, 3, 1)) == []
    got = check_destruction("recording", date(2024, 2, 14), date(2025, 2, 28))
    assert [v.code for v in got] == ["I80"] and "01.03.2025" in got[0].message and "Аудиозаписи" in got[0].message
    assert destroy_not_before("protocol", date(2024, 4, 15)) == date(2025, 3, 1)

from itog.conduct.models import DayRecord, StorageItem, Work, WorkStatus
from tests.conduct.fixtures import finished_session


def test_finished_session_has_published_results(region):
    main = finished_session(region)
    works = Work.objects.filter(session=main)
    finished = DayRecord.objects.filter(application__session=main, state="finished").count()
    assert works.count() == finished >= 30
    # п. 7.11.4: not finished / removed / absent participants have no work to check
    assert not works.filter(application__day_record__state__in=["not_finished", "removed", "absent"]).exists()
    assert set(works.values_list("status", flat=True)) == {WorkStatus.TRANSFERRED}
    assert main.results_date is not None and main.processed_at is not None
    assert StorageItem.objects.filter(session=main).exists()

"""The conduct stages' services in one namespace, for callers written before the stages were split
(``from itog.conduct import services as S``). New code imports the stage it needs:
:mod:`itog.conduct.examday.services`, :mod:`~itog.conduct.checking.services`,
:mod:`~itog.conduct.results.services`, :mod:`~itog.conduct.recheck.services`,
:mod:`~itog.conduct.readmission.services`, :mod:`~itog.conduct.retention.services`.
Nothing is defined here.
"""

# ruff: noqa: F401
from itog.conduct.checking.services import (
    AFTER_TRANSFER_HOOKS,
    _history,
    appoint_transfer_person,
    assign_experts,
    briefing_missing,
    checking_completed_on,
    checking_deadlines,
    create_works,
    expert_leaves,
    has_transfer_order,
    marks_form_spec,
    own_school_refusal,
    record_expert_briefing,
    session_experts,
    submit_expert_marks,
    transfer_marks,
)
from itog.conduct.common import local_now, log_refusal
from itog.conduct.examday.services import (
    DAY_FLAGS,
    DAY_TEXTS,
    TopicView,
    record_day,
    record_handover,
    record_venue_day,
    record_visitor,
    room_roster,
    session_has_works,
    topics_for,
    venue_zone,
)
from itog.conduct.readmission.services import (
    readmission_list,
    readmit,
)
from itog.conduct.recheck.services import (
    complete_task,
    decide,
    earlier_fails,
    file_recheck,
    record_protocol,
    start_pereproverka,
)
from itog.conduct.results.services import (
    PROCESSING_HOOKS,
    LookupAnswer,
    lookup_result,
    mark_processed,
    processing_blockers,
    publish,
    results_visible,
    visible_works,
)
from itog.conduct.retention.services import (
    destroy,
    due_for_destruction,
    ensure_storage_items,
    originals_reading,
    retention_reminders,
    send_retention_reminders,
)
from itog.exams.common import FAIL, PASS
from itog.exams.violations import Refused, refuse_if, violation


def _x(code: str, item: str, message: str, field: str | None = None):
    """A violation with its own text (kept for callers that have not registered their codes yet)."""
    from itog.exams.kinds.base import Violation

    return Violation(code, item, message, field)

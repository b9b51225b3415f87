"""The conduct stages' services in one namespace, for callers written before the stages were split
(``from itog.conduct import services as S``). New code imports the stage it needs:
:mod:`itog.conduct.examday.services`, :mod:`~itog.conduct.checking.services`,
:mod:`~itog.conduct.results.services`, :mod:`~itog.conduct.recheck.services`,
:mod:`~itog.conduct.readmission.services`, :mod:`~itog.conduct.retention.services`.
Nothing is defined here.
"""

# ruff: noqa: F401
from itog.conduct.common import local_now, log_refusal
from itog.exams.common import FAIL, PASS
from itog.exams.violations import Refused, refuse_if, violation

from itog.conduct.examday.services import (
    venue_zone,
    TopicView,
    topics_for,
    room_roster,
    DAY_FLAGS,
    DAY_TEXTS,
    record_day,
    session_has_works,
    record_handover,
    record_venue_day,
    record_visitor,
)
from itog.conduct.checking.services import (
    create_works,
    session_experts,
    assign_experts,
    _history,
    expert_leaves,
    marks_form_spec,
    own_school_refusal,
    submit_expert_marks,
    has_transfer_order,
    transfer_marks,
    AFTER_TRANSFER_HOOKS,
    checking_completed_on,
    checking_deadlines,
    appoint_transfer_person,
    record_expert_briefing,
    briefing_missing,
)
from itog.conduct.results.services import (
    processing_blockers,
    PROCESSING_HOOKS,
    mark_processed,
    publish,
    results_visible,
    visible_works,
    LookupAnswer,
    lookup_result,
)
from itog.conduct.recheck.services import (
    earlier_fails,
    file_recheck,
    complete_task,
    decide,
    start_pereproverka,
    record_protocol,
)
from itog.conduct.readmission.services import (
    readmission_list,
    readmit,
)
from itog.conduct.retention.services import (
    originals_reading,
    ensure_storage_items,
    due_for_destruction,
    destroy,
    retention_reminders,
    send_retention_reminders,
)


def _x(code: str, item: str, message: str, field: str | None = None):
    """A violation with its own text (kept for callers that have not registered their codes yet)."""
    from itog.exams.kinds.base import Violation

    return Violation(code, item, message, field)

"""Printing on D−1 (п. 7.11.1, 7.11.4): work codes and the print job (kits, ИС-05/08/09, room and
door lists) — :mod:`.services`. Importing the package registers the "print-kits" job."""

from .services import (  # noqa: F401 - the package's public names
    PrintRefused,
    check_printing_day,
    issue_codes,
    kit_participants,
    latest_seating,
    print_kits,
    room_lists_pdf,
    session_code,
    void_and_reissue,
)

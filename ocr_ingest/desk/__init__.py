"""The review desk: accounts (who may read, correct, approve, manage users) and corrections (a clerk's
value beside the machine's, with history, applied to the archive's index).

Public: :class:`Accounts` (users, sessions, the login throttle; ``ROOT/desk.sqlite``), :data:`ROLES`,
:class:`Corrections` (history, approvals, the review queue; tables in ``archive.sqlite``) and
:func:`corrected_record` (a record with the clerk's values, for exports). ``serve`` shows them;
``ocr-ingest users`` manages accounts (:mod:`ocr_ingest.cli.users`).
"""

from .accounts import ROLES, Accounts, LoginRefused, Session, login_delay
from .corrections import EDITABLE, Corrections, corrected_record

__all__ = [
    "EDITABLE",
    "ROLES",
    "Accounts",
    "Corrections",
    "LoginRefused",
    "Session",
    "corrected_record",
    "login_delay",
]

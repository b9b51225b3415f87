"""Commissions (п. 3.1–3.2): who creates which, the composition checked by the kind's rules, the
order as DOCX — :mod:`.services`. The composition rules themselves are the kind's
(``session.rules.commissions``)."""

"""Printed blanks of the final essay (итоговое сочинение / изложение).

* :mod:`itog.blanks.codes` — work codes (Damm check digit) and the 2D-code content;
* :mod:`itog.blanks.geometry` — the one definition of every box on every page type
  (the renderer draws from it, the future scanner reads it via ``to_json()``);
* :mod:`itog.blanks.render` — ReportLab PDFs: participant kits (бланк регистрации +
  бланки записи), дополнительный бланк записи, room forms ИС-05, ИС-08, ИС-09;
* :mod:`itog.blanks.kits` — big print jobs split into part files over several processes.

Pure Python (no Django imports).
"""

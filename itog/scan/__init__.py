"""Scanning of the blanks (п. 9.2): recognition of scanned pages, test scans, reconciliation.

Pure modules (no Django models, no database):

* :mod:`itog.scan.recognize` — one page image → :class:`~itog.scan.recognize.PageResult`
  (work code from the 2D code with the Damm check digit verified, page type and number,
  a state and a confidence for every mark and digit box of the blank's geometry);
* :mod:`itog.scan.inputs` — pages of PNG / JPEG / multi-page TIFF / PDF files and folders;
* :mod:`itog.scan.parallel` — many pages over a process pool (one process per core);
* :mod:`itog.scan.synth` — the test-scan generator (distortions, hand-drawn marks, truth);
* :mod:`itog.scan.reconcile` — a work's recognised pages against the marks entered
  electronically by the expert and the authorised person → verified or a review queue.

The only Django part is the ``itog scan`` management command.
"""

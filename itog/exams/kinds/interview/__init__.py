"""The final interview (итоговое собеседование по русскому языку, 9th grade) as an exam kind.

Known to the registry by its calendar only for now (:mod:`.calendar`); its full rules object
lands with the interview itself (issue 16, part 2).
"""

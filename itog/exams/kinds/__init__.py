"""Exam kinds: one package per kind (``interview/`` so far), pure rules behind one interface."""

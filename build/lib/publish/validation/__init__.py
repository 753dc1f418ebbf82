"""Validation with a memory: every output's checks, cached by SHA-256, and one report per run.

:mod:`publish.validation.cache` is the one place check results are kept
(``dist/.checks/``, keyed by the output's SHA-256, the files it is checked
against and the checking tools' versions); :mod:`publish.validation.checkers`
runs each :data:`~publish.formats.FORMATS` row's checks for a batch of files
(EPUBCheck in one JVM per core, Ace in one browser); :mod:`publish.validation.run`
puts the two together for ``publish validate``, ``publish build --validate``
and ``publish deposit``; :mod:`publish.validation.report` writes
``dist/report.json`` and ``dist/report.html``.
"""

"""Builds: plan, run (here, in a local pool, or on Dask), store, manifest, collections, progress.

Imports run one way: :mod:`publish.cli` → :mod:`publish.build.run` →
:mod:`~publish.build.pool` or :mod:`~publish.build.cluster` → :mod:`~publish.build.task`
→ :mod:`publish.pipeline`. Nothing this package depends on imports it, and this
``__init__`` imports nothing, so importing one part does not import the rest.
"""

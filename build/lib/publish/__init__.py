"""publish: archival export and publishing, from seeds/ to TEI, PDF/A-3, EPUB 3 and BagIt.

The public API is deliberately small; see ARCHITECTURE.md for the data flow.
"""

__version__ = "0.1.0"

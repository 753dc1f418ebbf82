"""The OAI-PMH 2.0 data provider: the manifest and the TEI masters, for harvesters.

http://www.openarchives.org/OAI/openarchivesprotocol.html. :mod:`.wsgi` is the
WSGI application (PEP 3333) answering at the path it is mounted on; the rest
are its parts, each small: :mod:`.settings` (what the project configures),
:mod:`.repository` (one request's view of the manifest and the headers),
:mod:`.dates`, :mod:`.tokens` (resumption tokens), :mod:`.errors`,
:mod:`.metadata` (``oai_dc``, ``tei``, ``mets``), :mod:`.verbs` (the six
verbs) and :mod:`.response` (the ``OAI-PMH`` envelope).
"""

"""OAI-PMH error conditions (OAI-PMH 2.0 §3.6): a code and a sentence for the harvester."""

from __future__ import annotations

#: Every error code the protocol defines (§3.6); ``noMetadataFormats`` cannot
#: happen here, as every item has every format.
CODES = frozenset({"badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat",
                   "idDoesNotExist", "noRecordsMatch", "noMetadataFormats", "noSetHierarchy"})


class OAIError(Exception):
    """An OAI-PMH error response: ``<error code="…">message</error>``.

    ``badVerb`` and ``badArgument`` make the ``request`` element carry no
    attributes (§3.2: the request was not understood, so it is not echoed).
    """

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"not an OAI-PMH error code: {code}")
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_request(self) -> bool:
        return self.code not in ("badVerb", "badArgument")

"""The six verbs (OAI-PMH 2.0 §4): each checks its arguments and returns its element.

Every list is in document id order, which paging relies on
(:mod:`publish.oai.tokens`). ``ListSets`` is never paged: a project has few
collections.
"""

from __future__ import annotations

from lxml import etree

from publish.oai import tokens
from publish.oai.dates import GRANULARITY, date_range, datestamp
from publish.oai.errors import OAIError
from publish.oai.metadata import METADATA_FORMATS, MetadataFormat, metadata_format
from publish.oai.repository import Item, Snapshot
from publish.oai.response import oai, sub

OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: verb → (required arguments, optional arguments, the exclusive argument or None) (§4).
ARGUMENTS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}


def check_arguments(verb: str, arguments: dict[str, str]) -> None:
    """badArgument for an illegal, missing or empty argument, or an exclusive one not alone."""
    required, optional, exclusive = ARGUMENTS[verb]
    given = {k: v for k, v in arguments.items() if k != "verb"}
    illegal = sorted(set(given) - set(required) - set(optional) - {exclusive})
    if illegal:
        raise OAIError("badArgument", f"{verb} takes no argument {', '.join(illegal)}")
    empty = sorted(k for k, v in given.items() if not v)
    if empty:
        raise OAIError("badArgument", f"empty argument {', '.join(empty)}")
    if exclusive in given:
        if len(given) > 1:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument: give it alone")
        return
    missing = [k for k in required if k not in given]
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}")


def identify(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """Identify (§4.2), with an oai-identifier description naming the identifier scheme."""
    settings = snapshot.settings
    element = etree.Element(oai("Identify"))
    sub(element, "repositoryName", settings.repository_name)
    sub(element, "baseURL", base_url)
    sub(element, "protocolVersion", "2.0")
    for address in settings.admin_email:
        sub(element, "adminEmail", address)
    sub(element, "earliestDatestamp", datestamp(snapshot.earliest()))
    sub(element, "deletedRecord", "persistent")
    sub(element, "granularity", GRANULARITY)
    described = etree.SubElement(sub(element, "description"), f"{{{OAI_ID_NS}}}oai-identifier",
                                 nsmap={None: OAI_ID_NS, "xsi": XSI_NS})
    described.set(f"{{{XSI_NS}}}schemaLocation",
                  f"{OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
    sample = next(iter(sorted(snapshot.documents)), "sample")
    for name, text in (("scheme", "oai"), ("repositoryIdentifier", settings.repository_id),
                       ("delimiter", ":"), ("sampleIdentifier", snapshot.oai_identifier(sample))):
        etree.SubElement(described, f"{{{OAI_ID_NS}}}{name}").text = text
    return element


def list_metadata_formats(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """ListMetadataFormats (§4.4): every format, for the repository or for one item."""
    if "identifier" in arguments:
        find_item(snapshot, arguments["identifier"])
    element = etree.Element(oai("ListMetadataFormats"))
    for row in METADATA_FORMATS:
        entry = sub(element, "metadataFormat")
        sub(entry, "metadataPrefix", row.prefix)
        sub(entry, "schema", row.schema)
        sub(entry, "metadataNamespace", row.namespace)
    return element


def list_sets(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """ListSets (§4.6): one set per collection; noSetHierarchy when there is none."""
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "ListSets is never paged; no token was issued")
    sets = all_sets(snapshot)
    if not sets:
        raise OAIError("noSetHierarchy", "this repository has no collections, so no sets")
    element = etree.Element(oai("ListSets"))
    for spec, name in sorted(sets.items()):
        entry = sub(element, "set")
        sub(entry, "setSpec", spec)
        sub(entry, "setName", name)
    return element


def get_record(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """GetRecord (§4.1): one record; a tombstone has a deleted header and no metadata."""
    item = find_item(snapshot, arguments["identifier"])
    row = find_format(arguments["metadataPrefix"])
    element = etree.Element(oai("GetRecord"))
    element.append(record(snapshot, item, row))
    return element


def list_identifiers(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """ListIdentifiers (§4.3): the headers of the selected items, a page at a time."""
    return list_items(snapshot, arguments, "ListIdentifiers")


def list_records(snapshot: Snapshot, arguments: dict, base_url: str) -> etree._Element:
    """ListRecords (§4.5): the records of the selected items, a page at a time."""
    return list_items(snapshot, arguments, "ListRecords")


def list_items(snapshot: Snapshot, arguments: dict, verb: str) -> etree._Element:
    """The selected items after the token's cursor, one page, and the token for the rest (§3.5)."""
    token = arguments.get("resumptionToken")
    query, last = tokens.decode(token, verb) if token else (arguments, None)
    try:
        row = find_format(query["metadataPrefix"])
        low, high = date_range(query.get("from"), query.get("until"))
    except OAIError as error:
        if token:  # the token itself is wrong, not the harvester's arguments
            raise OAIError("badResumptionToken", f"the resumptionToken is not valid: {error}") from None
        raise
    items = snapshot.items()
    wanted = query.get("set")
    if wanted is not None and not any(item.sets for item in items):
        raise OAIError("noSetHierarchy", "this repository has no collections, so no sets")
    matched = [item for item in items if (low is None or item.changed >= low)
               and (high is None or item.changed <= high)
               and (wanted is None or any(s == wanted or s.startswith(wanted + ":") for s in item.sets))]
    remaining = [item for item in matched if last is None or item.identifier > last]
    if not remaining:
        raise OAIError("noRecordsMatch", "no item matches these arguments" if not token
                       else "no item is left after this resumptionToken")
    page = remaining[:snapshot.settings.page_size]
    element = etree.Element(oai(verb))
    for item in page:
        element.append(header(snapshot, item) if verb == "ListIdentifiers"
                       else record(snapshot, item, row))
    more = len(remaining) > len(page)
    if more or token:
        cursor = len(matched) - len(remaining)
        sub(element, "resumptionToken", tokens.encode(verb, query, page[-1].identifier) if more else None,
            completeListSize=str(len(matched)), cursor=str(cursor))
    return element


def all_sets(snapshot: Snapshot) -> dict[str, str]:
    """setSpec → setName for every collection any item (tombstones too) belongs to."""
    return {spec: item.collection for item in snapshot.items() for spec in item.sets}


def find_item(snapshot: Snapshot, identifier: str) -> Item:
    document = snapshot.document_id(identifier)
    item = snapshot.item(document) if document is not None else None
    if item is None:
        raise OAIError("idDoesNotExist", f"{identifier} is not an identifier of this repository")
    return item


def find_format(prefix: str) -> MetadataFormat:
    row = metadata_format(prefix)
    if row is None:
        known = ", ".join(r.prefix for r in METADATA_FORMATS)
        raise OAIError("cannotDisseminateFormat", f"metadataPrefix {prefix!r} is not served; try {known}")
    return row


def header(snapshot: Snapshot, item: Item) -> etree._Element:
    """An item's header (§2.5): identifier, datestamp, setSpecs, and status for a tombstone."""
    element = etree.Element(oai("header"))
    if item.deleted:
        element.set("status", "deleted")
    sub(element, "identifier", snapshot.oai_identifier(item.identifier))
    sub(element, "datestamp", datestamp(item.changed))
    for spec in item.sets:
        sub(element, "setSpec", spec)
    return element


def record(snapshot: Snapshot, item: Item, row: MetadataFormat) -> etree._Element:
    """A record (§2.5): the header, and the metadata unless the item is deleted."""
    element = etree.Element(oai("record"))
    element.append(header(snapshot, item))
    if not item.deleted:
        sub(element, "metadata").append(row.make(item, snapshot))
    return element


VERBS = {"Identify": identify, "ListMetadataFormats": list_metadata_formats, "ListSets": list_sets,
         "GetRecord": get_record, "ListIdentifiers": list_identifiers, "ListRecords": list_records}

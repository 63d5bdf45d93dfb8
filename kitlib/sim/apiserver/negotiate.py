"""Content negotiation: which form of an answer the client asked for in ``Accept``.

kubectl asks for server-side Tables (``application/json;as=Table;v=v1;g=meta.k8s.io``) when
it prints, for aggregated discovery (``as=APIGroupDiscoveryList``) when it discovers, and
for plain JSON otherwise; controllers may ask for PartialObjectMetadata.  Protobuf is not
spoken here: a client that accepts only protobuf gets 406, one that also accepts JSON
gets JSON (as every client-go client does).
"""

from __future__ import annotations

from dataclasses import dataclass

from kitlib.sim.machinery.errors import NotAcceptable

ACCEPTED = "application/json, application/yaml, application/vnd.kubernetes.protobuf"


@dataclass(frozen=True)
class MediaType:
    type: str                      # "application/json"
    params: dict[str, str]

    @property
    def as_(self) -> str:
        return self.params.get("as", "")


@dataclass(frozen=True)
class Wanted:
    """What to send back: the encoding and, for meta.k8s.io forms, which one."""

    encoding: str = "json"         # "json" or "yaml"
    form: str = ""                 # "", "Table", "PartialObjectMetadata", "APIGroupDiscoveryList"
    version: str = ""              # the form's version: "v1", "v2", "v2beta1"


def parse_accept(header: str | None) -> list[MediaType]:
    if not header:
        return [MediaType("*/*", {})]
    out = []
    for clause in header.split(","):
        pieces = [p.strip() for p in clause.split(";")]
        if not pieces[0]:
            continue
        params = {}
        for piece in pieces[1:]:
            if "=" in piece:
                k, v = piece.split("=", 1)
                params[k.strip()] = v.strip().strip('"')
        out.append(MediaType(pieces[0].lower(), params))
    return out or [MediaType("*/*", {})]


def _encoding(media: MediaType) -> str | None:
    if media.type in ("application/json", "application/*", "*/*", "application/json-seq"):
        return "json"
    if media.type == "application/yaml":
        return "yaml"
    return None


def negotiate(header: str | None, *, forms: tuple[str, ...] = ()) -> Wanted:
    """Pick the first acceptable media type, honouring ``as=`` only for ``forms`` offered."""
    for media in parse_accept(header):
        encoding = _encoding(media)
        if encoding is None:
            continue
        if media.as_:
            if media.as_ in forms and media.params.get("g", "") in (
                    "meta.k8s.io", "apidiscovery.k8s.io"):
                return Wanted(encoding=encoding, form=media.as_,
                              version=media.params.get("v", ""))
            continue
        return Wanted(encoding=encoding)
    raise NotAcceptable(f"only the following media types are accepted: {ACCEPTED}")

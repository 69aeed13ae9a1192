"""STR locus names: one canonical spelling per locus across kits and data sources.

Kits, laboratories and population tables spell the same locus differently (``vWA``, ``VWA``,
``'vWA '``; ``Penta D``, ``PENTA_D``, ``PentaD``; ``TH01``/``THO1``; ``D21``). Matching two profiles
or joining a profile to a frequency table only works once both use the same name, so every
locus name entering the package passes through :func:`normalise_locus`.

The core sets follow the FBI CODIS core loci (20 loci since 1 January 2017) and the European
Standard Set (ESS, Council Resolution 2009/C 296/01: 7 original + 5 added loci).

>>> normalise_locus('vWA ')
'vWA'
>>> normalise_locus('PENTA_D')
'Penta D'
>>> normalise_locus('THO1')
'TH01'
>>> normalise_locus('Amelogenin')
'AMEL'

Profiles and checks take only the loci PeaceLink knows (:func:`known_locus`): the named loci below, the
D-number loci of chromosomes 1 to 22 (every CODIS and ESS locus and the other autosomal STRs of the kits,
such as D6S1043 or D19S253) and the sex markers of :data:`SEX_LOCI`. A name outside them ("FOO", a SNP
such as rs1004357, a Y-STR other than DYS391/DYS570/DYS576, an X-STR) is refused rather than kept as
spelled: no frequency table weighs it, and it would count as an autosomal locus towards ``min_loci``.

>>> known_locus('HUMTH01')
'TH01'
>>> try:
...     known_locus('FOO')
... except UnknownLocusError as error:
...     error.locus
'FOO'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from peacelink.matching.dna.errors import InvalidLocusError, UnknownLocusError
from peacelink.translatable import Translatable

__all__ = [
    "CODIS_CORE_13",
    "CODIS_CORE_20",
    "EUROPEAN_STANDARD_SET",
    "SEX_LOCI",
    "InvalidLocusError",
    "StoredLoci",
    "UnknownLocusError",
    "is_known_locus",
    "is_sex_locus",
    "known_locus",
    "locus_as_typed",
    "normalise_locus",
    "read_stored_loci",
]


# The 13 original CODIS loci (1998).
CODIS_CORE_13: tuple[str, ...] = (
    "CSF1PO",
    "FGA",
    "TH01",
    "TPOX",
    "vWA",
    "D3S1358",
    "D5S818",
    "D7S820",
    "D8S1179",
    "D13S317",
    "D16S539",
    "D18S51",
    "D21S11",
)

# CODIS expanded core (FBI, effective 2017-01-01): the 13 plus 7 loci shared with the ESS.
CODIS_CORE_20: tuple[str, ...] = (
    *CODIS_CORE_13,
    "D1S1656",
    "D2S441",
    "D2S1338",
    "D10S1248",
    "D12S391",
    "D19S433",
    "D22S1045",
)

# European Standard Set (Council Resolution 2009/C 296/01): the 7 original ESS loci plus the
# 5 loci added in 2009 (D1S1656, D2S441, D10S1248, D12S391, D22S1045).
EUROPEAN_STANDARD_SET: tuple[str, ...] = (
    "D3S1358",
    "vWA",
    "D8S1179",
    "D21S11",
    "D18S51",
    "TH01",
    "FGA",
    "D1S1656",
    "D2S441",
    "D10S1248",
    "D12S391",
    "D22S1045",
)

# Sex-typing markers: reported in profiles but never used for identity statistics or CODIS
# stringency (CODIS does not search on amelogenin; Y markers are not autosomal).
SEX_LOCI: frozenset[str] = frozenset({"AMEL", "DYS391", "Y indel", "DYS570", "DYS576"})

# Canonical spellings of named (non D-number) loci, keyed by a squashed form: upper case with
# spaces, dashes, underscores and dots removed.
_NAMED: dict[str, str] = {
    "CSF1PO": "CSF1PO",
    "CSF": "CSF1PO",
    "FGA": "FGA",
    "FIBRA": "FGA",
    "TH01": "TH01",
    "THO1": "TH01",
    "TPOX": "TPOX",
    "VWA": "vWA",
    "VWA31": "vWA",
    "VWA31A": "vWA",
    "PENTAC": "Penta C",
    "PENTAD": "Penta D",
    "PENTAE": "Penta E",
    "PC": "Penta C",
    "PD": "Penta D",
    "PE": "Penta E",
    "SE33": "SE33",
    "ACTBP2": "SE33",
    "AMEL": "AMEL",
    "AMELOGENIN": "AMEL",
    "AM": "AMEL",
    "F13A01": "F13A01",
    "F13A1": "F13A01",
    "F13B": "F13B",
    "FESFPS": "FESFPS",
    "FES": "FESFPS",
    "LPL": "LPL",
    "DYS391": "DYS391",
    "YINDEL": "Y indel",
    "DYS570": "DYS570",
    "DYS576": "DYS576",
}

# Short forms laboratories use for D-number loci (e.g. "D21" for D21S11). Only the
# unambiguous ones among the CODIS/ESS loci are listed.
_SHORT_D: dict[str, str] = {
    "D1": "D1S1656",
    "D3": "D3S1358",
    "D5": "D5S818",
    "D7": "D7S820",
    "D8": "D8S1179",
    "D10": "D10S1248",
    "D13": "D13S317",
    "D16": "D16S539",
    "D18": "D18S51",
    "D19": "D19S433",
    "D21": "D21S11",
    "D22": "D22S1045",
}

_D_NUMBER = re.compile(r"^D(\d{1,2}|X|Y)S(\d+)$")
_SQUASH = re.compile(r"[\s_\-.]+")
_ALLOWED = re.compile(r"^[A-Za-z0-9 _\-.]+$")


def normalise_locus(name: str) -> str:
    """Return the canonical spelling of a locus name, raising InvalidLocusError when it is unusable."""
    stripped = name.strip() if isinstance(name, str) else ""
    if not stripped or not _ALLOWED.match(stripped):
        raise InvalidLocusError(
            Translatable(f"invalid locus name {name!r}", "dna.error.locus_name", name=name)
        )
    squashed = _SQUASH.sub("", stripped).upper()
    if squashed in _NAMED:
        return _NAMED[squashed]
    if squashed.startswith("HUM") and squashed[3:] in _NAMED:
        # The GenBank names of the first STRs: HUMTH01, HUMVWA31A, HUMCSF1PO, HUMTPOX, HUMFIBRA.
        return _NAMED[squashed[3:]]
    if squashed in _SHORT_D:
        return _SHORT_D[squashed]
    match = _D_NUMBER.match(squashed)
    if match:
        # D-number names are canonical in upper case without leading zeros in the
        # chromosome part (D3S1358, not d03s1358).
        chromosome = match.group(1).lstrip("0") or "0"
        return f"D{chromosome}S{int(match.group(2))}"
    # Unknown loci (new kits, SNP panels) keep their trimmed spelling with single spaces so
    # they still compare equal to themselves.
    return " ".join(stripped.split())


def locus_as_typed(name: str) -> str:
    """The one name every spelling of a typed locus shares (TH01, HUMTH01, th 01: TH01), to find a locus
    typed twice in a text before its alleles are read; a name that is no usable locus name as typed (the
    profile refuses it, naming it).

    >>> locus_as_typed("HUMTH01"), locus_as_typed(" D8S1179 "), locus_as_typed("D8$1179")
    ('TH01', 'D8S1179', 'D8$1179')
    """
    try:
        return normalise_locus(name)
    except InvalidLocusError:
        return name.strip()


# The canonical names of the loci PeaceLink knows besides the D-numbers of chromosomes 1 to 22.
_KNOWN_NAMED: frozenset[str] = frozenset(_NAMED.values()) | frozenset(_SHORT_D.values())
_AUTOSOMAL_D_NUMBER = re.compile(r"^D([1-9]|1\d|2[0-2])S\d+$")
_KNOWN_TEXT = (
    "the CODIS and ESS loci, Penta C, D and E, SE33, the other D-number loci of chromosomes 1 to 22, "
    "AMEL, DYS391, DYS570, DYS576 or Y indel"
)


def is_known_locus(canonical: str) -> bool:
    """Return True for a canonical name (``normalise_locus``) of a locus PeaceLink knows (see the module)."""
    return canonical in _KNOWN_NAMED or _AUTOSOMAL_D_NUMBER.match(canonical) is not None


def known_locus(name: str) -> str:
    """Return the canonical spelling of a locus PeaceLink knows; UnknownLocusError (naming it) otherwise."""
    canonical = normalise_locus(name)
    if is_known_locus(canonical):
        return canonical
    given = " ".join(name.split())
    message = f"unknown locus '{given}': not a locus PeaceLink compares ({_KNOWN_TEXT})"
    raise UnknownLocusError(Translatable(message, "dna.error.unknown_locus", locus=given), locus=given)


_Alleles = TypeVar("_Alleles")


@dataclass(frozen=True)
class StoredLoci(Generic[_Alleles]):
    """A stored profile's loci as the comparison takes them (see :func:`read_stored_loci`)."""

    # Canonical locus -> alleles, for the loci PeaceLink knows: the only ones any search compares.
    loci: dict[str, _Alleles]
    # Stored name -> canonical name, for a known locus stored under another spelling (HUMTH01 -> TH01).
    respelled: dict[str, str]
    # Stored names left out of every comparison, sorted: unknown loci, and a second spelling of a locus
    # that is stored under its canonical name too.
    ignored: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def _stored_name(name: str) -> str | None:
    # A database holds a few dozen distinct names, read for every profile at an index build: cached.
    try:
        canonical = normalise_locus(name)
    except InvalidLocusError:
        return None
    return canonical if is_known_locus(canonical) else None


def read_stored_loci(stored: Mapping[str, _Alleles]) -> StoredLoci[_Alleles]:
    """Split a stored profile's loci into the known loci under their canonical names and the ignored names.

    Profiles are stored with canonical names since :func:`known_locus` refuses the others at input, but a
    profile stored before that rule may hold a name that was kept as spelled: an unknown locus ("FOO", a
    Y-STR such as DYS19), or a known locus under a name read only since (HUMTH01). The unknown ones are
    left out, never counted as autosomal loci; the known ones are compared under their canonical name.

    >>> read = read_stored_loci({'TH01': ['6'], 'HUMVWA31A': ['16'], 'FOO': ['1'], 'DYS19': ['14']})
    >>> sorted(read.loci), read.respelled, read.ignored
    (['TH01', 'vWA'], {'HUMVWA31A': 'vWA'}, ('DYS19', 'FOO'))
    """
    loci: dict[str, _Alleles] = {}
    respelled: dict[str, str] = {}
    ignored: list[str] = []
    later: list[tuple[str, str]] = []
    for name, alleles in stored.items():
        canonical = _stored_name(name)
        if canonical is None:
            ignored.append(name)
        elif canonical == name:
            loci[name] = alleles
        else:
            later.append((name, canonical))
    # Another spelling gives way to the canonical name stored beside it (the comparison needs one reading).
    for name, canonical in later:
        if canonical in loci:
            ignored.append(name)
        else:
            loci[canonical] = stored[name]
            respelled[name] = canonical
    return StoredLoci(loci=loci, respelled=respelled, ignored=tuple(sorted(ignored)))


def is_sex_locus(locus: str) -> bool:
    """Return True for sex-typing markers (amelogenin, Y-STRs) that are excluded from matching."""
    return normalise_locus(locus) in SEX_LOCI

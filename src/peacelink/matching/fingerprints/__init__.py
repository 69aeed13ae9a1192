"""Fingerprints: minutiae templates, ISO/IEC 19794-2 and ANSI/NIST-ITL codecs, MCC matcher, 1:N index.

Pure: imports nothing from the rest of peacelink. Modules:

* :mod:`.template` - Minutia and Template (angles in degrees, counter-clockwise, y down).
* :mod:`.iso19794_2` - ISO/IEC 19794-2:2005 finger minutiae records, byte-exact.
* :mod:`.ansi_nist` - ANSI/NIST-ITL 1-2011 transactions (Type-1, 2, 4, 9, 14; writes Type-9).
* :mod:`.extraction` - minutiae and NFIQ 2 quality from an image, with NIST MINDTCT via nbis-py.
* :mod:`.matcher` - Minutia Cylinder-Code comparison with LSS-R; returns the paired minutiae.
* :mod:`.vectorised` - one probe against many templates at once: compact descriptors, batched LSS-R.
* :mod:`.index` - 1:N gallery: dense stage A on all, batched stage B on a shortlist, pairs for the top.
* :mod:`.calibration` - raw score -> -log10(false-match rate).
* :mod:`.synthetic` - synthetic fingers and impressions for tests and benchmarks.
* :mod:`.drawing` - PNG of a print (or blank canvas) with minutiae and paired-minutiae lines.
"""

from peacelink.matching.fingerprints.matcher import Comparison, compare
from peacelink.matching.fingerprints.template import Minutia, Template, TemplateError

__all__ = ["Comparison", "Minutia", "Template", "TemplateError", "compare"]

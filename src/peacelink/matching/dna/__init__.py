"""DNA STR profiles: loci, alleles, CODIS stringency search, match statistics and kinship.

Pure algorithms (no database, no web): the DNA service layer stores profiles and calls these.
See docs/dna.md for the standards followed, measured figures and known limits.
"""

from peacelink.matching.dna.alleles import parse_allele, parse_alleles, sort_alleles
from peacelink.matching.dna.comparison import (
    DEFAULT_MIN_LOCI,
    Comparison,
    LocusComparison,
    LocusOutcome,
    Stringency,
    compare_genotypes,
    compare_profiles,
)
from peacelink.matching.dna.errors import (
    DNAError,
    InvalidAlleleError,
    InvalidFrequencyTableError,
    InvalidLocusError,
    InvalidPedigreeError,
    InvalidProfileError,
    MissingLocusError,
    UnknownLocusError,
)
from peacelink.matching.dna.frequencies import FrequencyTable
from peacelink.matching.dna.frequency_formats import list_populations, read_frequency_csv, read_frequency_file
from peacelink.matching.dna.kinship import (
    DEFAULT_MUTATION_RATE,
    IBDCoefficients,
    KinshipResult,
    pairwise_kinship_lr,
)
from peacelink.matching.dna.kinship_search import (
    FamilyIndex,
    FamilyModel,
    KinshipHit,
    family_pedigree,
    kinship_search,
)
from peacelink.matching.dna.loci import (
    CODIS_CORE_20,
    EUROPEAN_STANDARD_SET,
    StoredLoci,
    known_locus,
    normalise_locus,
    read_stored_loci,
)
from peacelink.matching.dna.pedigree import Member, Pedigree, predict_genotype
from peacelink.matching.dna.profiles import Profile, ProfileKind, Relationship
from peacelink.matching.dna.search import DirectHit, DirectSearchIndex
from peacelink.matching.dna.statistics import DEFAULT_THETA, MatchStatistics, match_statistics

__all__ = [
    "CODIS_CORE_20",
    "DEFAULT_MIN_LOCI",
    "DEFAULT_MUTATION_RATE",
    "DEFAULT_THETA",
    "EUROPEAN_STANDARD_SET",
    "Comparison",
    "DNAError",
    "DirectHit",
    "DirectSearchIndex",
    "FamilyIndex",
    "FamilyModel",
    "FrequencyTable",
    "IBDCoefficients",
    "InvalidAlleleError",
    "InvalidFrequencyTableError",
    "InvalidLocusError",
    "InvalidPedigreeError",
    "InvalidProfileError",
    "KinshipHit",
    "KinshipResult",
    "LocusComparison",
    "LocusOutcome",
    "MatchStatistics",
    "Member",
    "MissingLocusError",
    "Pedigree",
    "Profile",
    "ProfileKind",
    "Relationship",
    "StoredLoci",
    "Stringency",
    "UnknownLocusError",
    "compare_genotypes",
    "compare_profiles",
    "family_pedigree",
    "kinship_search",
    "known_locus",
    "list_populations",
    "match_statistics",
    "normalise_locus",
    "pairwise_kinship_lr",
    "parse_allele",
    "parse_alleles",
    "predict_genotype",
    "read_frequency_csv",
    "read_frequency_file",
    "read_stored_loci",
    "sort_alleles",
]

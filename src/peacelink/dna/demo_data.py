"""Demo DNA data (all synthetic, generated here): a frequency table, a stain, references, one family."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from peacelink.dna import frequencies, service
from peacelink.dna.schemas import ProfileCreate
from peacelink.matching.dna import CODIS_CORE_20
from peacelink.users import service as users

ALLELES = [str(a) for a in range(8, 18)]


def demo_frequency_csv(seed: int = 2024) -> str:
    """A synthetic population table in the documented long CSV layout (2N = 1000)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
    lines = ["locus,allele,frequency,n"]
    for locus in sorted(CODIS_CORE_20):
        weights = [rng.uniform(0.3, 2.0) for _ in ALLELES]
        total = sum(weights)
        lines += [f"{locus},{a},{w / total:.5f},1000" for a, w in zip(ALLELES, weights, strict=True)]
    return "\n".join(lines) + "\n"


def _genotype(rng: random.Random) -> dict[str, list[str]]:
    return {locus: sorted({rng.choice(ALLELES), rng.choice(ALLELES)}) for locus in sorted(CODIS_CORE_20)}


def _child(rng: random.Random, a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    return {locus: sorted({rng.choice(a[locus] * 2), rng.choice(b[locus] * 2)}) for locus in a}


def seed(session: Session, *, admin_user: str, owner_user: str, family_owner_user: str) -> str:
    """Enrol the demo DNA data; return a hint with a check that hits."""
    rng = random.Random(17)  # noqa: S311 - synthetic demo data, not security
    admin = users.actor_for_username(session, username=admin_user)
    owner = users.actor_for_username(session, username=owner_user)
    family_owner = users.actor_for_username(session, username=family_owner_user)
    frequencies.import_table(
        session, actor=admin, population="DEMO", text=demo_frequency_csv(), source="synthetic demo table"
    )
    stain = _genotype(rng)
    items = [
        ProfileCreate(
            kind="stain",
            reference="DEMO-STAIN-1",
            loci=stain,
            action="Possible link to burglary series UTO-2025-114: contact NCB Utopia DNA unit",
        ),
        *(ProfileCreate(kind="reference", reference=f"DEMO-REF-{k}", loci=_genotype(rng)) for k in range(20)),
    ]
    service.create_many(session, actor=owner, items=items)
    father, mother = _genotype(rng), _genotype(rng)
    missing = _child(rng, father, mother)
    service.create_many(
        session,
        actor=family_owner,
        items=[
            ProfileCreate(
                kind="relative",
                relationship="parent",
                family="MP-DEMO-1",
                reference="MP-DEMO-1-F",
                loci=father,
            ),
            ProfileCreate(
                kind="relative",
                relationship="parent",
                family="MP-DEMO-1",
                reference="MP-DEMO-1-M",
                loci=mother,
            ),
        ],
    )
    direct = " ".join(f"--locus {locus}={','.join(alleles)}" for locus, alleles in list(stain.items())[:9])
    kinship = " ".join(f"--locus {locus}={','.join(alleles)}" for locus, alleles in missing.items())
    return (
        f"DNA: a stain DEMO-STAIN-1 (NCB-UTO) hits: peacelink --user officer dna check {direct}\n"
        f"DNA kinship: remains of MP-DEMO-1's child rank family MP-DEMO-1 first: "
        f"peacelink --user officer dna kinship {kinship}"
    )

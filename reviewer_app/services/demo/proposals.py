"""One demo proposal: its 構想調書 blocks, its PDF, and the secretariat's metadata for the bundle."""

from __future__ import annotations

import random
from decimal import Decimal

from ...core.bundle.model import ProposalMeta
from . import prose_plan, prose_record
from .document import Block
from .institutions import Institution
from .pdf import render_proposal


def proposal_blocks(inst: Institution) -> list[Block]:
    """Sections 1–6 in the order of the form; the same institution always gives the same text."""
    rng = random.Random(f"demo-{inst.proposal_id}")
    return [
        *prose_record.section1(inst, rng),
        *prose_plan.section2(inst, rng),
        *prose_plan.section3(inst),
        *prose_plan.section4(inst),
        *prose_record.section5(inst),
        *prose_plan.section6(inst, rng),
    ]


def proposal_pdf(inst: Institution) -> bytes:
    return render_proposal(inst, proposal_blocks(inst))


def secretariat_figures(inst: Institution) -> dict[str, Decimal]:
    """The figures the secretariat reads from section 5 for the 5-level items, by rubric item id."""
    return {
        "1-1": inst.degree_average,
        "1-2": inst.kakenhi_average,
        "1-3": Decimal(inst.international_students),
        "1-5": Decimal(inst.exchange_out),
        "1-7": Decimal(inst.foreign_faculty_total),
    }


def named_figures(inst: Institution) -> dict[str, Decimal]:
    """The figures the rubric's numeric 観点 checks name (2009 rubric ``[[items.checks]]``), by figure name.

    Read from the same data the PDF prints (sections 3. and 5-(3), 5-(7), 2-(2)-①), so a
    reviewer who checks them against the proposal finds the same numbers.
    """
    return {
        "accepted_countries": Decimal(inst.countries),
        "focus_countries": Decimal(len(inst.priority_countries)),
        "office_countries": Decimal(inst.office_countries),
        "intl_student_ratio_2020": inst.student_ratio_target,
        "intl_student_increase": Decimal(inst.student_increase),
        "intl_students_2020": Decimal(inst.plan.students[2]),
        "foreign_faculty_ratio_2020": inst.faculty_ratio_target,
    }


def proposal_meta(inst: Institution) -> ProposalMeta:
    return ProposalMeta(inst.proposal_id, inst.title, inst.name, inst.kind, inst.region, secretariat_figures(inst),
                        named_figures(inst))

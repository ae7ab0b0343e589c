"""The passphrase letter: one printable A4 page per reviewer, for delivery apart from the bundle file.

It carries what the reviewer needs to open the bundle and to trust it: the passphrase in a
large fixed-width face (no 0/O or 1/I to confuse), the bundle's file name and id, and the
secretariat's signing-key fingerprint to compare with what the app shows when unlocking.
Japanese text uses the sheets' embedded font (``core/sheets/fonts.py``); the passphrase and
fingerprint use Courier, one of the PDF base fonts every viewer has. No QR code: a letter
photographed on a desk must not hand over the passphrase to a scanner.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ...i18n import tr
from ..sheets.fonts import FontChoice, choose_font
from ..sheets.render import Footer, Section, SheetPdf, build_pdf
from ..sheets.score_sheet import frame_width
from ..sheets.styles import SHADE, grid_style, make_styles, para

MONO = "Courier-Bold"


@dataclass(frozen=True)
class LetterInfo:
    round_id: str
    round_title: str
    deadline: str | None
    reviewer_id: str
    reviewer_name: str
    bundle_file: str
    bundle_id: str
    proposals: int
    secretariat_fingerprint: str


def render_letter(info: LetterInfo, passphrase: str, font: FontChoice | None = None) -> SheetPdf:
    """One letter (one page); the passphrase exists only in the returned bytes."""
    font = font or choose_font()
    st = make_styles(font.name)
    width = frame_width(wide=False)
    mono = st.body.clone("mono", fontName=MONO, fontSize=20, leading=28, alignment=TA_CENTER)
    mono_small = st.body.clone("mono_small", fontName=MONO, fontSize=13, leading=18, alignment=TA_CENTER)
    name = f"{info.reviewer_name} 様（{info.reviewer_id}）" if info.reviewer_name else info.reviewer_id
    rows = [
        (tr("secretariat.letter.round"), f"{info.round_title}（{info.round_id}）"),
        (tr("secretariat.letter.deadline"), info.deadline or "—"),
        (tr("secretariat.letter.bundle_file"), info.bundle_file),
        (tr("secretariat.letter.bundle_id"), info.bundle_id),
        (tr("secretariat.letter.proposals"), tr("secretariat.letter.proposal_count", count=info.proposals)),
    ]
    cells = [[para(k, st.cell), para(v, st.cell)] for k, v in rows]
    t = Table(cells, colWidths=[40 * mm, width - 40 * mm], hAlign="LEFT")
    t.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, -1), SHADE)]))
    box = Table([[para(passphrase, mono)]], colWidths=[width])
    box.setStyle(grid_style(0, [("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    fp = Table([[para(info.secretariat_fingerprint, mono_small)]], colWidths=[width])
    fp.setStyle(grid_style(0))
    story: list[Flowable] = [
        para(tr("secretariat.letter.title"), st.title),
        para(name, st.subtitle),
        para(tr("secretariat.letter.intro"), st.body),
        Spacer(1, 3 * mm),
        t,
        para(tr("secretariat.letter.passphrase_heading"), st.heading),
        box,
        para(tr("secretariat.letter.passphrase_note"), st.small),
        para(tr("secretariat.letter.fingerprint_heading"), st.heading),
        fp,
        para(tr("secretariat.letter.fingerprint_note"), st.body),
        para(tr("secretariat.letter.steps_heading"), st.heading),
        para(tr("secretariat.letter.steps"), st.body),
        Spacer(1, 2 * mm),
        para(tr("secretariat.letter.keep_apart"), st.alert),
    ]
    footer = Footer(caption=tr("secretariat.letter.caption", round=info.round_id, reviewer=info.reviewer_id),
                    lines=((tr("secretariat.letter.bundle_id"), info.bundle_id),), qr_fields=None)
    return build_pdf([Section(footer, story)], title=tr("secretariat.letter.title"), font=font,
                     subject=f"{info.round_id} {info.reviewer_id}")

"""Shared fixture data for the sheet tests: realistic entries with the awkward cases in them."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import pypdf
import pytest

from reviewer_app import i18n
from reviewer_app.core.scoring import Entry
from reviewer_app.core.sheets import ProposalInfo, ReviewerInfo, ReviewerResult, SheetContext

PUNCTUATION = "、。，．・：；？！゛゜´｀¨＾￣＿ヽヾゝゞ〃仝々〆〇ー―‐／＼～∥｜…‥‘’“”（）〔〕［］｛｝〈〉《》「」『』【】＋－±×÷＝≠＜＞≦≧∞∴♂♀°′″℃￥＄％＃＆＊＠§☆★○●◎◇◆□■△▲▽▼※〒→←↑↓〓〜"
LONG_BASE = "留学生の受入計画は具体的であり、宿舎の整備や日本語教育、就職支援まで一貫した体制が示されている。一方で教員体制の強化策がやや抽象的である。"
LONG_COMMENT = (LONG_BASE * 60)[:4990] + "（以上、長文所見）"


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces layout inserts."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def ja() -> Iterator[None]:
    """Module-scoped renders happen outside the per-test language fixture; pin Japanese here."""
    saved = i18n._current
    i18n._current = "ja"
    yield
    i18n._current = saved


def make_entries(rubric, variant: int = 0) -> list[Entry]:
    out = []
    for n, item in enumerate(rubric.items):
        scale = rubric.scale_of(item)
        code = scale.codes[(n + variant) % len(scale.codes)]
        figure = Decimal(300 + 10 * n) if scale.kind == "level" else None
        out.append(Entry(item.id, code, f"項目{item.id}の所見：構想調書の記載に基づき評価した。", figure=figure))
    return out


def sample_result(rubric, proposal_id: str = "P-001", variant: int = 0) -> ReviewerResult:
    entries = make_entries(rubric, variant)
    items = rubric.items
    entries[1] = Entry(items[1].id, entries[1].mark, LONG_COMMENT, figure=entries[1].figure)
    entries[9] = Entry(items[9].id, entries[9].mark, PUNCTUATION)
    uj = rubric.scale_of(items[12]).unjudgeable_mark
    entries[12] = Entry(items[12].id, uj, "", True, "構想調書 2-(4) と 5-(7) の記載が食い違っており判断できない。")
    proposal = ProposalInfo(proposal_id, "アジアと世界をつなぐ国際化拠点の形成", "東都大学", "国立", "関東")
    return ReviewerResult(proposal, tuple(entries), False, "", digest_of(f"result-{proposal_id}-{variant}"))


@pytest.fixture(scope="session")
def ctx(rubric) -> SheetContext:
    return SheetContext("平成21年度 国際化拠点整備事業 書面審査", "2009-R1", rubric,
                        {"190+": 0.1, "140-189": 0.3, "90-139": 0.4, "0-89": 0.2})


@pytest.fixture(scope="session")
def reviewer() -> ReviewerInfo:
    return ReviewerInfo("R01", "山田 太郎", digest_of("key-R01"))


def body_text(pages: list[str]) -> str:
    """The pages' text joined without their footers (which start with "x / y ページ"), so
    text that flows across pages reads on."""
    out = []
    for p in pages:
        f = flat(p)
        marks = list(re.finditer(r"\d+/\d+ページ", f))
        out.append(f[: marks[-1].start()] if marks else f)
    return "".join(out)

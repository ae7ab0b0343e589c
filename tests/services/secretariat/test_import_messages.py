"""An import report speaks to the clerk: a damaged or forged result says to ask the reviewer to send it again,
not the reviewer-side advice the bundle's own message gives (「ファイルをもう一度入手してください」)."""

from __future__ import annotations

import string

from reviewer_app import i18n
from reviewer_app.core.errors import ReviewerAppError
from reviewer_app.i18n import describe_error
from reviewer_app.services.secretariat import ImportStatus
from reviewer_app.services.secretariat.messages import FOR_THE_CLERK, clerk_reason_key, describe_file_report
from tests.services.secretariat.round_fixtures import ROUND
from tests.services.secretariat.test_importing import result

ASK_AGAIN = "審査委員に結果ファイルをもう一度送ってもらってください"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_reworded_refusal_has_a_sentence_filled_by_what_the_error_carries():
    for lang in i18n.LANGUAGES:
        cat = i18n.catalog(lang)
        for code in FOR_THE_CLERK:
            assert clerk_reason_key(code) in cat, (lang, code)
            assert _fields(cat[clerk_reason_key(code)]) <= _fields(cat[f"error.{code}"]), (lang, code)


def test_a_damaged_or_cut_result_asks_the_clerk_to_get_it_again_from_the_reviewer(issued_round, tmp_path):
    good = result(issued_round, "R01", tmp_path / "good.rvb").read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0x01
    (tmp_path / "damaged.rvb").write_bytes(bytes(damaged))
    (tmp_path / "cut.rvb").write_bytes(good[: len(good) // 2])
    report = issued_round.sec.import_results(ROUND, [tmp_path / "damaged.rvb", tmp_path / "cut.rvb",
                                                     tmp_path / "missing.rvb"], issued_round.keys)
    damaged_report, cut_report, missing_report = report.files
    for f in (damaged_report, cut_report):
        assert f.status is ImportStatus.REJECTED and f.code in FOR_THE_CLERK
        text = describe_file_report(f)
        assert ASK_AGAIN in text and "入手" not in text and "{" not in text
        assert text != describe_error(ReviewerAppError(f.code, **f.params))  # not the reviewer's sentence
    assert cut_report.code == "bundle.format.truncated"
    # A refusal already worded for the secretariat keeps its own sentence.
    assert missing_report.code not in FOR_THE_CLERK
    assert describe_file_report(missing_report) == describe_error(ReviewerAppError(missing_report.code,
                                                                                  **missing_report.params))

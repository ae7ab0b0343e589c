"""The reviewer's 視点2 distribution against the round's target shares, drawn with QPainter.

One horizontal bar per band (highest first): the bar is the number of complete proposals in
the band, a dark tick marks the most the target allows, and a band over its target is drawn
red with 「超過 +n」 beside it. The numbers are the service's ``Distribution``; the widget
only draws them. QtCharts is not used (it needs the 157 MB Addons wheel).

The reviewer reads it about their own grades (「入力完了 n 件」, review or give a reason when
exporting); the secretariat shows the same chart for a reviewer's returned result, so the
title and the over-target sentence are worded for whoever reads it (``wording``).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.distribution import BandRow, Distribution
from ...core.rubric import format_points
from ...i18n import tr
from . import theme

#: The title and over-target sentence for each reader; the bars and rows read the same on both sides.
WORDINGS: dict[str, dict[str, str]] = {
    "reviewer": {"title": "gui.review.dist.title", "warning": "gui.review.dist.warning"},
    "secretariat": {"title": "gui.secretariat.dist.title", "warning": "gui.secretariat.dist.warning"},
}


def _pct(share: Decimal) -> str:
    return format_points((Decimal(str(share)) * 100).quantize(Decimal("1")))


class DistributionChart(QWidget):
    def __init__(self, viewpoint_label: str, parent: QWidget | None = None, *, wording: str = "reviewer") -> None:
        super().__init__(parent)
        #: The banded viewpoint as the rubric names it (e.g. 視点2): the chart never assumes which.
        self.viewpoint_label = viewpoint_label
        #: "reviewer" (their own grades) or "secretariat" (a reviewer's returned result): see ``WORDINGS``.
        self._keys = WORDINGS[wording]
        self._dist: Distribution | None = None
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so a screen reader reads its summary
        self.retranslate()

    def retranslate(self) -> None:
        self._refresh_texts()
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def set_distribution(self, dist: Distribution | None) -> None:
        if dist == self._dist:
            return
        self._dist = dist
        self._refresh_texts()
        self.updateGeometry()
        self.update()

    def distribution(self) -> Distribution | None:
        return self._dist

    def title_text(self) -> str:
        """The title as drawn (e.g. 「視点2 合計点の分布（入力完了 7 件）」)."""
        return self._title

    def warning_text(self) -> str:
        """The sentence drawn under the bars when a band is over its target."""
        return tr(self._keys["warning"])

    def over_target(self) -> bool:
        return self._dist is not None and not self._dist.within_targets

    def _row_text(self, r: BandRow) -> str:
        target = (tr("gui.review.dist.no_target") if r.target_share is None
                  else tr("gui.review.dist.target", share=_pct(r.target_share), allowed=r.allowed))
        over = tr("gui.review.dist.over", over=r.over_by) if r.over_by else ""
        return tr("gui.review.dist.row", count=r.count, share=_pct(r.share), target=target, over=over).strip()

    def _refresh_texts(self) -> None:
        d = self._dist
        if d is None:
            self._title = tr("gui.review.dist.title_empty", viewpoint=self.viewpoint_label)
            summary = self._title
        else:
            self._title = tr(self._keys["title"], viewpoint=self.viewpoint_label, n=d.n)
            lines = [self._title] + [f"{r.label}: {self._row_text(r)}" for r in d.rows]
            if d.over_target:
                lines.append(self.warning_text())
            summary = "\n".join(lines)
        self.setAccessibleName(tr("gui.review.dist.a11y", viewpoint=self.viewpoint_label))
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)

    # --- drawing ----------------------------------------------------------------------

    def _metrics(self) -> tuple[QFontMetrics, int]:
        fm = self.fontMetrics()
        return fm, int(fm.height() * 1.5)

    def sizeHint(self) -> QSize:
        fm, row = self._metrics()
        rows = len(self._dist.rows) if self._dist else 4
        extra = 1 if self.over_target() else 0
        return QSize(320, fm.height() + 10 + row * rows + extra * (fm.height() + 6) + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm, row_h = self._metrics()
        w = self.width()
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#1f2937"))
        p.drawText(QRectF(4, 2, w - 8, fm.height() + 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self._title)
        p.setFont(self.font())
        d = self._dist
        if d is None:
            p.end()
            return
        label_w = max(fm.horizontalAdvance(r.label) for r in d.rows) + 12
        texts = [self._row_text(r) for r in d.rows]
        text_w = min(max(fm.horizontalAdvance(t) for t in texts) + 12, int(w * 0.5))
        bar_x = 4 + label_w
        bar_w = max(40, w - bar_x - text_w - 8)
        scale_n = max([d.n, 1] + [r.allowed or 0 for r in d.rows])
        y = fm.height() + 10
        for r, text in zip(d.rows, texts):
            mid = y + row_h / 2
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(4, y, label_w - 8, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       r.label)
            track = QRectF(bar_x, mid - row_h * 0.28, bar_w, row_h * 0.56)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#eceff3"))
            p.drawRoundedRect(track, 3, 3)
            if r.count:
                bar = QRectF(track.left(), track.top(), bar_w * r.count / scale_n, track.height())
                p.setBrush(theme.BLOCKING if r.over_by else theme.BAR)
                p.drawRoundedRect(bar, 3, 3)
            if r.allowed is not None:
                x = track.left() + bar_w * r.allowed / scale_n
                p.setPen(QPen(theme.TARGET, 2))
                p.drawLine(int(x), int(track.top() - 3), int(x), int(track.bottom() + 3))
            p.setPen(theme.BLOCKING if r.over_by else QColor("#374151"))
            p.drawText(QRectF(bar_x + bar_w + 8, y, text_w, row_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(text, Qt.TextElideMode.ElideRight, text_w))
            y += row_h
        if d.over_target:
            p.setPen(theme.BLOCKING)
            p.drawText(QRectF(4, y + 2, w - 8, fm.height() + 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText("⚠ " + self.warning_text(), Qt.TextElideMode.ElideRight, w - 8))
        p.end()

"""Small status and severity icons drawn with QPainter: a distinct shape for each state.

Shapes, not only colours, tell the states apart (empty ring, half disc, tick, exclamation,
barred circle), so they read in grey-scale print-outs and for colour-blind reviewers. Drawn
once per size and kept.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ...core.scoring import Severity
from ...services.workspace import ProposalStatus
from . import theme

SIZE = 16


def _canvas(size: int) -> tuple[QPixmap, QPainter]:
    pm = QPixmap(size * 2, size * 2)  # drawn at 2× so it stays sharp on high-DPI screens
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, p


def _ring(p: QPainter, r: QRectF, color: QColor, fill: bool) -> None:
    p.setPen(QPen(color, 1.6))
    p.setBrush(color if fill else Qt.GlobalColor.transparent)
    p.drawEllipse(r)


@cache
def status_icon(status: ProposalStatus, size: int = SIZE) -> QIcon:
    pm, p = _canvas(size)
    r = QRectF(1.5, 1.5, size - 3, size - 3)
    c = r.center()
    if status is ProposalStatus.NOT_STARTED:
        _ring(p, r, theme.MUTED, False)
    elif status is ProposalStatus.IN_PROGRESS:
        _ring(p, r, theme.PROGRESS, False)
        path = QPainterPath(c)
        path.arcTo(r, 90, -180)
        path.closeSubpath()
        p.fillPath(path, theme.PROGRESS)
    elif status is ProposalStatus.COMPLETE:
        _ring(p, r, theme.COMPLETE, True)
        p.setPen(QPen(Qt.GlobalColor.white, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPolyline([QPointF(r.left() + r.width() * 0.25, c.y()), QPointF(c.x() - 1, r.bottom() - r.height() * 0.28),
                        QPointF(r.right() - r.width() * 0.22, r.top() + r.height() * 0.3)])
    elif status is ProposalStatus.BLOCKING:
        _ring(p, r, theme.BLOCKING, True)
        p.setPen(QPen(Qt.GlobalColor.white, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(c.x(), r.top() + 3.5), QPointF(c.x(), c.y() + 1.5))
        p.drawPoint(QPointF(c.x(), r.bottom() - 3.2))
    else:  # conflict declared: a barred circle
        _ring(p, r, theme.CONFLICT, False)
        p.drawLine(QPointF(r.left() + 3, r.bottom() - 3), QPointF(r.right() - 3, r.top() + 3))
    p.end()
    return QIcon(pm)


@cache
def severity_icon(severity: Severity, size: int = SIZE) -> QIcon:
    if severity is Severity.BLOCKING:
        return status_icon(ProposalStatus.BLOCKING, size)
    pm, p = _canvas(size)
    # A reminder: an amber triangle with an exclamation mark.
    path = QPainterPath(QPointF(size / 2, 1.5))
    path.lineTo(size - 1.5, size - 2)
    path.lineTo(1.5, size - 2)
    path.closeSubpath()
    p.fillPath(path, QColor("#e0a100"))
    p.setPen(QPen(Qt.GlobalColor.white, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(size / 2, 6), QPointF(size / 2, size - 7))
    p.drawPoint(QPointF(size / 2, size - 4.2))
    p.end()
    return QIcon(pm)

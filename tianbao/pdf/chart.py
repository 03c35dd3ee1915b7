"""The trend chart of one indicator for the monitoring report: yearly values and the target line.

Only numbers are drawn inside the chart (years and values, in the Latin font); the indicator's
name and the legend go in Paragraphs around it, where Chinese and Latin text mix properly.  The
target is dashed and the values solid with square markers, so the two read apart in black and
white.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from tianbao.domain.status import fmt_number
from tianbao.pdf.common import LATIN, register_fonts


def trend_chart(
    points: Sequence[tuple[int, float]],
    targets: Sequence[float] = (),
    *,
    width: float = 84 * mm,
    height: float = 46 * mm,
) -> Drawing:
    """Values over the years (solid, square markers) and each target level (dashed)."""
    register_fonts()
    d = Drawing(width, height, initialFontName=LATIN)  # else renderPDF sets Helvetica
    years = [y for y, _ in points]
    lo_year, hi_year = min(years), max(years)
    lp = LinePlot()
    lp.x, lp.y = 12 * mm, 7 * mm
    lp.width, lp.height = width - 16 * mm, height - 10 * mm
    data = [list(points)]
    for t in targets:
        data.append([(lo_year, t), (hi_year, t)])
    lp.data = data
    values = [v for _, v in points] + list(targets)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1.0)
    lp.yValueAxis.valueMin = max(lo - pad, 0.0) if lo >= 0 else lo - pad
    lp.yValueAxis.valueMax = hi + pad
    lp.yValueAxis.labelTextFormat = fmt_number
    lp.yValueAxis.visibleGrid = True
    lp.yValueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    lp.yValueAxis.gridStrokeWidth = 0.3
    lp.yValueAxis.maximumTicks = 5
    lp.xValueAxis.valueMin = lo_year - 0.3
    lp.xValueAxis.valueMax = hi_year + 0.3
    lp.xValueAxis.valueSteps = years
    lp.xValueAxis.labelTextFormat = "%d"
    for axis in (lp.xValueAxis, lp.yValueAxis):
        axis.labels.fontName = LATIN
        axis.labels.fontSize = 6.5
        axis.strokeWidth = 0.5
    lp.lines[0].strokeColor = colors.black
    lp.lines[0].strokeWidth = 1.2
    lp.lines[0].symbol = makeMarker("FilledSquare", size=3)
    for i in range(1, len(data)):
        lp.lines[i].strokeColor = colors.Color(0.3, 0.3, 0.3)
        lp.lines[i].strokeWidth = 0.8
        lp.lines[i].strokeDashArray = (4, 2.5)
    d.add(lp)
    return d

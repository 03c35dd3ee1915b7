"""The overview of a plan and year: 达标率 per domain, early warnings, a trend chart, sub-unit ranking."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.entry_model import fmt
from desktop.i18n import core, fill
from tianbao.domain.catalogue import Indicator, target_in_force
from tianbao.domain.display import fmt_fixed
from tianbao.services import plans as plan_service
from tianbao.services import units as unit_service
from tianbao.services.monitoring import MonitorReport, monitor, places, rank


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def target_points(ind: Indicator, years: list[int]) -> list[tuple[int, float]]:
    """The level target in force in each year, for the dashed target line."""
    out = []
    for y in years:
        for t in target_in_force(ind.targets, y):
            if t.op in ("<=", "<", ">=", ">", "approx") and t.value is not None:
                out.append((y, float(t.value)))
                break
    return out


class OverviewPage(QWidget):
    def __init__(self, db: Database, english: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.english = english
        self.report: MonitorReport | None = None
        self.key: tuple[str, str, int] | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px; font-weight: bold;")
        self.attainment = QTableWidget(0, 6)
        self.attainment.setHorizontalHeaderLabels(
            [
                self.tr("领域"),
                self.tr("评估指标"),
                self.tr("达标"),
                self.tr("接近"),
                self.tr("未达标"),
                self.tr("达标率"),
            ]
        )
        self.attainment.verticalHeader().setVisible(False)
        self.attainment.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.attainment.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)

        self.indicator_box = QComboBox()
        self.indicator_box.currentIndexChanged.connect(self._indicator_changed)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.ranking = QTableWidget(0, 4)
        self.ranking.setHorizontalHeaderLabels(
            [self.tr("名次"), self.tr("下级单位"), self.tr("数值"), self.tr("达标情况")]
        )
        self.ranking.verticalHeader().setVisible(False)
        head = self.ranking.horizontalHeader()
        # Place, value and status as wide as their text; the sub-unit's name takes the rest.
        for col in (0, 2, 3):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.ranking.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        left = QGroupBox(self.tr("达标率"))
        QVBoxLayout(left).addWidget(self.attainment)
        warn_box = QGroupBox(self.tr("预警"))
        QVBoxLayout(warn_box).addWidget(self.warnings)
        chart_box = QGroupBox(self.tr("趋势"))
        cl = QVBoxLayout(chart_box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("指标：")))
        row.addWidget(self.indicator_box, 1)
        cl.addLayout(row)
        cl.addWidget(self.chart_view)
        rank_box = QGroupBox(self.tr("下级单位排名"))
        QVBoxLayout(rank_box).addWidget(self.ranking)

        grid = QGridLayout(self)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        grid.addWidget(left, 1, 0)
        grid.addWidget(warn_box, 2, 0)
        grid.addWidget(chart_box, 1, 1)
        grid.addWidget(rank_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def show_for(self, unit_code: str, plan_id: str, year: int) -> None:
        self.key = (unit_code, plan_id, year)
        rep = monitor(self.db, unit_code, plan_id, year)
        self.report = rep
        o = rep.overall
        self.summary.setText(
            fill(
                self.tr(
                    "%1 %2年：达标率 %3（应评估 %5 项：达标 %4，接近 %6，无法评估 %9）；"
                    "预计达标困难 %7 项，波动较大 %8 项"
                ),
                rep.unit_name,
                year,
                _pct(o.rate),
                o.met,
                o.due,
                o.close,
                len(rep.projected),
                len(rep.fluctuating),
                o.not_assessable,
            )
        )
        self.attainment.setRowCount(len(rep.domains) + 1)
        names = [
            d.name_en if self.english and d.name_en else d.name for d in self._plan(plan_id).domains
        ]
        for i, (name, a) in enumerate(
            [*zip(names, (a for _n, a in rep.domains), strict=True), (self.tr("合计"), o)]
        ):
            for col, text in enumerate((name, a.assessed, a.met, a.close, a.not_met, _pct(a.rate))):
                item = QTableWidgetItem(str(text))
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.attainment.setItem(i, col, item)
        self.warnings.clear()
        for w in (*rep.projected, *rep.fluctuating):
            self.warnings.addItem(w.message_en if self.english else w.message)
        if not rep.projected and not rep.fluctuating:
            self.warnings.addItem(self.tr("没有预警指标。"))
        self.plan = plan = self._plan(plan_id)
        # Every indicator with a figure here or in any sub-unit can be charted and ranked.
        keys = [
            i
            for i in plan.indicators
            if i.is_numeric and (rep.series.get(i.code) or i.code in rep.rankable)
        ]
        current = self.indicator_box.currentData()
        self.indicator_box.blockSignals(True)
        self.indicator_box.clear()
        for ind in keys:
            self.indicator_box.addItem(f"{ind.code} {ind.name}", ind.code)
        # Start at an indicator the sub-units report, so the ranking beside the chart has figures
        # (not one only this unit's own return holds, such as a department's).
        first = next(
            (k for k, ind in enumerate(keys) if ind.code in rep.subunit_ranked),
            next((k for k, ind in enumerate(keys) if ind.code in rep.rankable), 0),
        )
        pos = max(0, self.indicator_box.findData(current)) if current else first
        self.indicator_box.setCurrentIndex(pos)
        self.indicator_box.blockSignals(False)
        self._indicator_changed()

    def _plan(self, plan_id: str):
        return plan_service.get_plan(self.db, plan_id)

    def _indicator_changed(self, *_args) -> None:
        code = self.indicator_box.currentData()
        if not code or self.report is None:
            return
        self.show_chart(code)
        self.show_ranking(code)

    def show_chart(self, code: str) -> None:
        ind = self.plan.indicator(code)
        series_data = self.report.series.get(code, {})
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.chart.setTitle(f"{ind.name}（{ind.unit}）" if ind.unit else ind.name)
        values = QLineSeries()
        values.setName(self.tr("实际值"))
        for y, v in sorted(series_data.items()):
            values.append(QPointF(y, v))
        years = sorted(series_data) or [self.report.year]
        span = list(range(years[0], max(years[-1], self.report.year) + 1))
        target = QLineSeries()
        target.setName(self.tr("目标"))
        pen = QPen(Qt.GlobalColor.red)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidth(2)
        target.setPen(pen)
        for y, v in target_points(ind, span):
            target.append(QPointF(y, v))
        self.chart.addSeries(values)
        self.chart.addSeries(target)
        ax = QValueAxis()
        ax.setLabelFormat("%d")
        if len(span) == 1:
            span = [span[0] - 1, span[0]]
        ax.setRange(span[0], span[-1])
        ax.setTickCount(len(span) if len(span) <= 11 else 6)
        ay = QValueAxis()
        points = list(series_data.values()) + [v for _y, v in target_points(ind, span)]
        lo, hi = (min(points), max(points)) if points else (0.0, 1.0)
        pad = (hi - lo) * 0.2 or max(abs(hi) * 0.1, 1.0)
        ay.setRange(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)
        self.chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        for s in (values, target):
            s.attachAxis(ax)
            s.attachAxis(ay)

    def show_ranking(self, code: str) -> None:
        unit_code, plan_id, year = self.key
        has_children = unit_service.has_children(self.db, unit_code)
        rows = rank(self.db, unit_code, plan_id, year, code) if has_children else []
        ind = self.plan.indicator(code)
        shared = places(rows, ind.better == "lower")  # ties share a place
        self.ranking.setRowCount(len(rows))
        for i, ((name, value, status), place) in enumerate(zip(rows, shared, strict=True)):
            # the indicator's fixed decimals, as in the grid, the Excel and the PDF
            shown = fmt_fixed(value, ind) if isinstance(value, (int, float)) else fmt(value)
            for col, text in enumerate(
                (str(place) if place is not None else "—", name, shown, core(status))
            ):
                self.ranking.setItem(i, col, QTableWidgetItem(text))

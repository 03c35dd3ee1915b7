"""Translation of words that come from the Qt-free core (labels of levels, statuses, sources).

The core speaks Chinese; these labels are listed here with QT_TRANSLATE_NOOP so that
pyside6-lupdate collects them into resources/i18n/*.ts, and ``core()`` translates them at run time.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CORE_WORDS = (
    QT_TRANSLATE_NOOP("Core", "省"),
    QT_TRANSLATE_NOOP("Core", "市"),
    QT_TRANSLATE_NOOP("Core", "县（区）"),
    QT_TRANSLATE_NOOP("Core", "乡镇（街道）"),
    QT_TRANSLATE_NOOP("Core", "村（社区）"),
    QT_TRANSLATE_NOOP("Core", "成员单位"),
    QT_TRANSLATE_NOOP("Core", "草稿"),
    QT_TRANSLATE_NOOP("Core", "已报送"),
    QT_TRANSLATE_NOOP("Core", "已锁定"),
    QT_TRANSLATE_NOOP("Core", "达标"),
    QT_TRANSLATE_NOOP("Core", "未达标"),
    QT_TRANSLATE_NOOP("Core", "接近"),
    QT_TRANSLATE_NOOP("Core", "本年无目标"),
    QT_TRANSLATE_NOOP("Core", "无数据"),
    QT_TRANSLATE_NOOP("Core", "录入"),
    QT_TRANSLATE_NOOP("Core", "导入"),
    QT_TRANSLATE_NOOP("Core", "汇总"),
    QT_TRANSLATE_NOOP("Core", "系统"),
    QT_TRANSLATE_NOOP("Core", "男"),
    QT_TRANSLATE_NOOP("Core", "女"),
    QT_TRANSLATE_NOOP("Core", "城镇"),
    QT_TRANSLATE_NOOP("Core", "农村"),
    QT_TRANSLATE_NOOP("Core", "0-5岁"),
    QT_TRANSLATE_NOOP("Core", "6-14岁"),
    QT_TRANSLATE_NOOP("Core", "15-17岁"),
    QT_TRANSLATE_NOOP("Core", "是"),
    QT_TRANSLATE_NOOP("Core", "部分"),
    QT_TRANSLATE_NOOP("Core", "否"),
)


def core(text: str) -> str:
    return QCoreApplication.translate("Core", text)


def fill(template: str, *values: object) -> str:
    """Qt-style placeholders: ``fill(self.tr("已填 %1/%2"), 3, 10)``."""
    for i, v in reversed(list(enumerate(values, 1))):
        template = template.replace(f"%{i}", str(v))
    return template

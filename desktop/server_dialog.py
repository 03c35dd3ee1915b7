"""连接服务器: several PCs of an office share one PostgreSQL database.

The password is never written to the settings: it is asked here and kept in memory for this session,
or taken from the operating system's keyring (when the ``keyring`` package is installed and the user
ticks 记住密码), or from libpq's own password file / service file (``~/.pgpass``,
``%APPDATA%\\postgresql\\pgpass.conf``, ``pg_service.conf``), which the driver reads by itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)
from sqlalchemy.engine import URL, make_url

from tianbao.domain.errors import KnownError

KEYRING_SERVICE = "Tianbao"


def _keyring():
    try:
        import keyring  # optional

        return keyring
    except Exception:  # noqa: BLE001 - not installed, or no backend on this PC
        return None


def stored_password(url: str) -> str | None:
    """The password the keyring holds for this server and user, if any."""
    kr = _keyring()
    if kr is None:
        return None
    u = make_url(url)
    try:
        return kr.get_password(
            KEYRING_SERVICE, f"{u.username}@{u.host}:{u.port or 5432}/{u.database}"
        )
    except Exception:  # noqa: BLE001 - a keyring that fails is the same as none
        return None


def with_password(url: str) -> str:
    """``url`` with the keyring's password added (for opening), when it has none of its own."""
    u = make_url(url)
    if u.password or u.get_backend_name() != "postgresql":
        return url
    pw = stored_password(url)
    return u.set(password=pw).render_as_string(hide_password=False) if pw else url


class ServerDialog(QDialog):
    """Server address, database, user and password; 测试连接 tries them before anything is used."""

    def __init__(self, url: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接服务器"))
        u = make_url(url) if url and "://" in url else None
        self.host = QLineEdit(u.host if u and u.host else "")
        self.host.setPlaceholderText(self.tr("服务器地址，如 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(u.port if u and u.port else 5432)
        self.database = QLineEdit(u.database if u and u.database else "tianbao")
        self.user = QLineEdit(u.username if u and u.username else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("不保存在设置中"))
        self.remember = QCheckBox(self.tr("记住密码（保存在系统钥匙串中）"))
        self.remember.setEnabled(_keyring() is not None)
        self.note = QLabel(
            self.tr(
                "多台电脑共用一个 PostgreSQL 数据库。密码不会写入设置文件；也可以使用 pgpass 或服务文件。"
            )
        )
        self.note.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.test_button = QPushButton(self.tr("测试连接"))
        self.test_button.clicked.connect(lambda: self.test())
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库"), self.database)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("连接"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(lambda: self.accept())
        buttons.rejected.connect(lambda: self.reject())
        lay = QVBoxLayout(self)
        lay.addWidget(self.note)
        lay.addLayout(form)
        lay.addWidget(self.test_button)
        lay.addWidget(self.result_label)
        lay.addWidget(buttons)
        self.database_opened = None

    def url(self, *, password: bool = True) -> str:
        """The SQLAlchemy URL; with ``password=False`` the one that may be remembered."""
        u = URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip() or None,
            password=(self.password.text() or None) if password else None,
            host=self.host.text().strip() or None,
            port=self.port.value(),
            database=self.database.text().strip() or None,
        )
        return u.render_as_string(hide_password=False)

    def test(self) -> bool:
        from db.engine import make_engine
        from db.failures import translate

        if not self.host.text().strip() or not self.database.text().strip():
            self.result_label.setText(self.tr("请填写服务器地址和数据库名称。"))
            return False
        engine = make_engine(with_password(self.url()))
        try:
            with engine.connect() as c:
                c.exec_driver_sql("SELECT 1")
        except Exception as e:
            known = translate(e)
            if known is None:
                raise
            self.result_label.setText(str(known))
            return False
        finally:
            engine.dispose()
        self.result_label.setText(self.tr("连接成功。"))
        return True

    def accept(self) -> None:
        """Open (creating or migrating) the server database; stay open with the reason if it fails."""
        from db.engine import open_database

        try:
            self.database_opened = open_database(with_password(self.url()))
        except KnownError as e:
            self.result_label.setText(str(e))
            return
        if self.remember.isChecked() and self.password.text():
            kr = _keyring()
            if kr is not None:
                u = make_url(self.url())
                try:
                    kr.set_password(
                        KEYRING_SERVICE,
                        f"{u.username}@{u.host}:{u.port or 5432}/{u.database}",
                        self.password.text(),
                    )
                except Exception:  # noqa: BLE001 - not remembered; asked again next time
                    pass
        super().accept()

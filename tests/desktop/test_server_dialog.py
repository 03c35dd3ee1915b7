"""连接服务器: the dialog tries the connection, says why it fails, and never keeps a password."""

from desktop.server_dialog import ServerDialog


def test_unreachable_server_is_explained_and_the_password_is_not_in_the_url_kept(qtbot):
    dlg = ServerDialog()
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.host, "127.0.0.1")
    dlg.port.setValue(1)
    qtbot.keyClicks(dlg.user, "tongji")
    qtbot.keyClicks(dlg.password, "secret")
    assert dlg.test() is False
    assert "无法连接数据库服务器" in dlg.result_label.text()
    assert "secret" in dlg.url() and "secret" not in dlg.url(password=False)
    dlg.accept()  # 连接 with the server down: the dialog stays, with the reason
    assert dlg.database_opened is None and "无法连接" in dlg.result_label.text()

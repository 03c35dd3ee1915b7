"""The ``tianbao`` command line. It never imports ``desktop``; ``desktop.launch`` starts the GUI."""

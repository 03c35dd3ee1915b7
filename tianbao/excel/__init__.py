"""Excel files: returns, templates, compiled workbooks, plan workbooks, and the safe import of colleagues' files."""

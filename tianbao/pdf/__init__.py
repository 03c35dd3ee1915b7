"""PDF files: the printable return with its signature lines and seal area, and the monitoring report."""

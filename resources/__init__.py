"""Data shipped with Tianbao: plan catalogues, fonts, translations, icons."""

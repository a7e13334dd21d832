"""Pure helpers that need no Django: formatting, names in several languages, cursors."""

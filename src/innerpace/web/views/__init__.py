"""One module per page; each renders the template of the same name."""

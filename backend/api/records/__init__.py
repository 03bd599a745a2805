"""API resource: a person's or household's record as documents, for the PWA's desk mode."""

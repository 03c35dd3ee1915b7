"""The domain: plan catalogues, values, checks, target status, warnings, fingerprints. No database, no Qt."""

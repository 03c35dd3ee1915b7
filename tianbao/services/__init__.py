"""Use cases over the database: returns, units, aggregation, monitoring, demo. Each owns its sessions."""

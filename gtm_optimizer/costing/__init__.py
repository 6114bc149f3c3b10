"""Cost-to-serve model and allocation of route costs to customers."""

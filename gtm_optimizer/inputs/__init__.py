"""Loading and validation of input files."""

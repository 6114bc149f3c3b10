"""Reports, maps and output files of a run."""

"""Allow ``python -m gtm_optimizer``."""

from gtm_optimizer.cli import main

main()

"""Extra CLI commands, one module per family (compare, reroute and history, matrix).

Every module here registers its commands on :data:`gtm_optimizer.cli.app` when imported; the
CLI imports them all at start-up, so adding a command means adding a module.
"""

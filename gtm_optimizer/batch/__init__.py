"""The nightly batch: re-routing tomorrow's orders on a plan, run history and locking.

* :func:`~gtm_optimizer.batch.reroute.reroute` and
  :func:`~gtm_optimizer.batch.output.write_reroute`: one day's orders on a plan's territories;
* :func:`~gtm_optimizer.batch.history.record_run` and
  :class:`~gtm_optimizer.batch.history.RunHistory`: every run recorded in SQLite or PostgreSQL;
* :func:`~gtm_optimizer.batch.locking.output_lock`: one writer per output folder.

The CLI commands ``reroute`` and ``history`` are in :mod:`gtm_optimizer.commands.batch`.
"""

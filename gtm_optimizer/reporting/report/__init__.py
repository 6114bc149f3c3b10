"""Reports for people: the run report (HTML and Excel) and the comparison of scenarios.

* :func:`write_report_html`: ``report.html`` of a run, with KPIs, territories, cost-to-serve
  charts, the assumptions and the index map;
* :func:`write_report_xlsx`: ``report.xlsx`` of a run, one sheet per table;
* :func:`write_comparison_csv` and :func:`write_comparison_html`: ``comparison.csv`` and
  ``comparison.html`` of several runs (see :mod:`gtm_optimizer.comparison`).

Every label goes through gettext, so a report follows the language in force.
"""

from gtm_optimizer.reporting.report.comparison import (
    comparison_table,
    write_comparison_csv,
    write_comparison_html,
)
from gtm_optimizer.reporting.report.report_html import write_report_html
from gtm_optimizer.reporting.report.report_xlsx import write_report_xlsx

__all__ = [
    "comparison_table",
    "write_comparison_csv",
    "write_comparison_html",
    "write_report_html",
    "write_report_xlsx",
]

"""Interactive folium maps of a run: an index map and one map per route.

The index map shows territories, customers coloured by cost to serve as a share of revenue,
routes by territory and by weekday, unserved customers and depots. Each route map shows the
route along the roads with its numbered stops. Every label goes through gettext.
"""

from gtm_optimizer.reporting.maps.index_map import write_index_map
from gtm_optimizer.reporting.maps.offline import MapAssetsNotFoundError
from gtm_optimizer.reporting.maps.route_map import write_route_maps
from gtm_optimizer.reporting.maps.text import weekday_label

__all__ = ["MapAssetsNotFoundError", "weekday_label", "write_index_map", "write_route_maps"]

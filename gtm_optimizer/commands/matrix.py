"""``gtm-optimizer matrix``: road travel matrices between the points of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import typer

from gtm_optimizer.cli import (
    LanguageOption,
    VerboseOption,
    app,
    console,
    guarded,
    matrix_cache_dir,
    start_command,
)
from gtm_optimizer.i18n import _, ngettext


@app.command(help=_("Compute road travel-time and distance matrices between points."))
@guarded
def matrix(
    network: Annotated[
        Path,
        typer.Argument(help=_("Road network: .osm, .osm.bz2, .osm.gz, .osm.pbf or .graphml.")),
    ],
    points: Annotated[Path, typer.Argument(help=_("CSV with customer_id, lat and lon."))],
    out: Annotated[Path, typer.Option(help=_("Output file: .parquet or .npz."))],
    profile: Annotated[
        str, typer.Option(help=_("Vehicle profile: car, van, truck or motorcycle."))
    ] = "van",
    max_snap_m: Annotated[
        float, typer.Option(help=_("Largest distance in metres from a point to its road."))
    ] = 500.0,
    lang: LanguageOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write the matrices for use in other tools and notebooks."""
    from gtm_optimizer.network import write_matrix_file

    start_command(lang, verbose)
    chosen: Literal["car", "van", "truck", "motorcycle"] = profile  # type: ignore[assignment]
    matrices = write_matrix_file(
        network, points, out, profile=chosen, max_snap_m=max_snap_m, cache_dir=matrix_cache_dir()
    )
    usable = int(np.asarray(matrices.usable).sum())
    total = len(matrices.usable)
    console.print(
        ngettext(
            "Wrote travel matrices of {usable} of {total} point to {path}",
            "Wrote travel matrices of {usable} of {total} points to {path}",
            total,
        ).format(usable=usable, total=total, path=out)
    )

"""Peacebuild's doors to other systems: IATI 2.03 files out and in, spreadsheets in (all or
nothing) and out (XLSX, HXL), and the REST API. Long work runs as a background `Job`."""

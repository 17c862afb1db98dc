"""Service catalogues: each office's Standar Pelayanan and SOP, held as data."""

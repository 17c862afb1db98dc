"""Importing a Standar Pelayanan decree's text (pasted or from a PDF's text layer) into a draft service."""
from dinsos.catalogue.impor.draf import draf_layanan, yaml_draf
from dinsos.catalogue.impor.skor import skor_impor
from dinsos.catalogue.impor.teks import HasilImpor, Usulan, impor_pdf, impor_teks

__all__ = ["HasilImpor", "Usulan", "draf_layanan", "impor_pdf", "impor_teks", "skor_impor", "yaml_draf"]

"""Writing an office back to the files it was loaded from: ``tenant.yaml`` and ``services/<kode>.yaml``.

Loading an export changes nothing: the files hold exactly the stored data
(the current version of each active service). Comments of the original files
are not data and are not kept; OCR fixes live in ``catatan_ocr``.
"""
import io
import zipfile

from dinsos.catalogue.services import daftar_layanan, versi_terbaru
from dinsos.catalogue.skema.layanan import LayananSchema
from dinsos.catalogue.skema.tenant import TenantSchema
from dinsos.catalogue.skema.tulis import tulis_yaml
from dinsos.core.tenant import dalam_tenant

from .models import Tenant
from .services import profil_tenant


def berkas_kantor(tenant: Tenant) -> dict[str, str]:
    """The office's files as ``{relative path: text}``."""
    berkas = {
        "tenant.yaml": tulis_yaml(profil_tenant(tenant), TenantSchema, f"{tenant.nama}: diekspor dari platform Dinsos."),
    }
    with dalam_tenant(tenant.id):
        for layanan in daftar_layanan():
            versi = versi_terbaru(layanan)
            kepala = f"{layanan.nama}: versi {versi.versi}, diekspor dari platform Dinsos."
            berkas[f"services/{layanan.kode}.yaml"] = tulis_yaml(versi.isi, LayananSchema, kepala)
    return berkas


def zip_berkas(slug: str, berkas: dict[str, str]) -> bytes:
    """A zip holding ``<slug>/<path>`` for each file: the folder as it sits under ``tenants/``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for nama in sorted(berkas):
            zf.writestr(f"{slug}/{nama}", berkas[nama])
    return buf.getvalue()

"""A small test office for a PPKS family's region: Kabupaten Lampung Tengah (18.02), with a service that accepts repatriations.

No seed office covers the family's region of the repatriation journey, so the
test onboards one the way an admin would: a tenant.yaml and a service YAML,
validated and loaded by the same loader as the real offices.
"""
from pathlib import Path

import yaml

from dinsos_uji.bantuan import Kantor

ROOT = Path(__file__).resolve().parents[2]
SLUG = "kabupaten-lampung-tengah"
LAYANAN = "penerimaan-pemulangan-ppks"


def onboard(app, folder: Path) -> Kantor:
    from sqlalchemy import select

    from dinsos.core.db import db
    from dinsos.tenancy.models import Tenant
    from dinsos.tenancy.muat import muat_akar

    profil = yaml.safe_load((ROOT / "tenants/kota-metro/tenant.yaml").read_text())
    profil.update(slug=SLUG, nama="Dinas Sosial Kabupaten Lampung Tengah", tingkat="kabupaten", kode_wilayah="18.02",
                  provinsi_induk="provinsi-lampung", kop_surat={"baris": ["PEMERINTAH KABUPATEN LAMPUNG TENGAH", "DINAS SOSIAL"]})
    layanan = yaml.safe_load((ROOT / "tenants/kota-metro/services/penanganan-ppks-terlantar.yaml").read_text())
    layanan.update(kode=LAYANAN, nama="Penerimaan Pemulangan PPKS Terlantar", menerima_rujukan=True)
    kantor = folder / SLUG
    (kantor / "services").mkdir(parents=True)
    (kantor / "tenant.yaml").write_text(yaml.safe_dump(profil, allow_unicode=True))
    (kantor / "services" / f"{LAYANAN}.yaml").write_text(yaml.safe_dump(layanan, allow_unicode=True))
    with app.app_context():
        muat_akar(kantor)
        t = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        return Kantor(t.id, t.slug, t.nama, app)

"""The per-process cache of version identities (code, name, number) answers only its own office."""
from sqlalchemy import select


def test_a_version_read_by_one_office_is_not_answered_to_another(app, kantor_seed):
    from dinsos.catalogue.models import VersiLayanan
    from dinsos.catalogue.services import identitas_versi
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    metro, magetan = kantor_seed["kota-metro"], kantor_seed["kabupaten-magetan"]
    with app.app_context():
        with dalam_tenant(metro.id):
            versi = db.session.scalars(select(VersiLayanan)).first()
            pertama = identitas_versi({versi.id})
            assert pertama[versi.id] == (versi.isi["kode"], versi.isi["nama"], versi.versi)
            assert identitas_versi({versi.id}) == pertama  # from the cache now
        with dalam_tenant(magetan.id):
            assert identitas_versi({versi.id}) == {}

"""An office's provenance markers, how its public page shows platform-set values, and its letterhead logo.

``tenants.penanda_asal`` holds the ``penanda_asal`` list of ``tenant.yaml``
(values the decree does not contain). ``tenants.tampil_asal`` is the office's
choice for such values on its public Standar Pelayanan: ``tandai`` (labelled)
or ``sembunyikan`` (hidden). ``tenants.logo_kop`` is the letterhead logo, an
uploaded image re-encoded as PNG and kept as a ``data:`` URI (letters fetch
nothing else).

Revision ID: 0020_kop_asal
Revises: 0012_sesi_segel
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0020_kop_asal'
down_revision = '0012_sesi_segel'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'penanda_asal', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
            server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('tampil_asal', sa.String(length=20), server_default='tandai', nullable=False))
        batch_op.add_column(sa.Column('logo_kop', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('logo_kop')
        batch_op.drop_column('tampil_asal')
        batch_op.drop_column('penanda_asal')

"""Letters of case steps.

``langkah_kasus.surat_id`` records the letter a completed step issued.

Revision ID: 0010
Revises: 0004
Create Date: 2026-11-25 15:20:27.369499

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('langkah_kasus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('surat_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_langkah_kasus_tenant_id_surat_id_surat_terbit'), 'surat_terbit', ['tenant_id', 'surat_id'], ['tenant_id', 'id'])


def downgrade():
    with op.batch_alter_table('langkah_kasus', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_langkah_kasus_tenant_id_surat_id_surat_terbit'), type_='foreignkey')
        batch_op.drop_column('surat_id')

"""A temporary password must be changed: ``pengguna.wajib_ganti_sandi``.

Set when the office admin adds a member or resets a password; every office page then leads to the password
change until the member chooses her own. Existing accounts chose theirs already (false).

Revision ID: 0026_wajib_ganti_sandi
Revises: 0025_giliran_disposisi (0025_giliran_disposisi.py)
"""
import sqlalchemy as sa
from alembic import op

revision = '0026_wajib_ganti_sandi'
down_revision = '0025_giliran_disposisi'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pengguna') as batch_op:
        batch_op.add_column(sa.Column('wajib_ganti_sandi', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('pengguna') as batch_op:
        batch_op.drop_column('wajib_ganti_sandi')

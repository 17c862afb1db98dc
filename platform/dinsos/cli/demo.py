"""``dinsos demo ...``: demo accounts and generated demo data."""
import secrets
from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("demo")
def perintah():
    """Demo data for a local run."""


@perintah.command("accounts")
@click.option("--password", default=None, help="One password for every demo account (default: random, printed).")
@with_appcontext
def akun_demo(password):
    """Create one demo account per role in every office (idempotent) and print how to log in."""
    from dinsos.demo.akun import buat_akun_demo

    password = password or secrets.token_urlsafe(9)
    for baris in buat_akun_demo(password):
        click.echo(baris)


def _waktu(teks: str | None) -> datetime:
    if not teks:
        return datetime.now(timezone.utc).replace(second=0, microsecond=0)
    try:
        waktu = datetime.fromisoformat(teks)
    except ValueError:
        raise click.BadParameter(f"'{teks}' bukan tanggal/waktu ISO, mis. 2026-11-02 atau 2026-11-02T09:00+07:00") from None
    return (waktu if waktu.tzinfo else waktu.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


@perintah.command("generate")
@click.option("--tenants", "jumlah_kantor", type=click.IntRange(1, 250), default=5, show_default=True,
              help="Offices holding cases: the seed offices with services first, then synthetic kabupaten/kota.")
@click.option("--cases", "jumlah_kasus", type=click.IntRange(0), default=1000, show_default=True,
              help="Cases in all, spread evenly over the offices.")
@click.option("--seed", "benih", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--at", "pada", default=None,
              help="Reference time (ISO); every date lies before it. Default: now. Fix it to reproduce a run exactly.")
@click.option("--password", default=None, help="Password of every generated staff account (default: random, printed).")
@click.option("--tenants-path", "akar", type=click.Path(exists=True, file_okay=False), default="tenants", show_default=True,
              help="The seed offices' folders (loaded first, idempotently).")
@click.option("--processes", "proses", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Offices generated in parallel (PostgreSQL only; the data is the same).")
@click.option("--if-empty", "jika_kosong", is_flag=True,
              help="When the offices already hold cases, say so and succeed without generating (`make run` loads the demo "
                   "on its first run only).")
@click.option("--all-referral-states", "semua_status_rujukan", is_flag=True,
              help="Then drive one referral into each state not generated (draft, sent, accepted, completed, ...) "
                   "through the live referral services, at the current time (`make run` passes it).")
@with_appcontext
def buat_demo(jumlah_kantor, jumlah_kasus, benih, pada, password, akar, proses, jika_kosong, semua_status_rujukan):
    """Generate offices, staff, cases, complaints, their deadline clocks and survey responses, deterministic from --seed and --at."""
    from dinsos.demo.buat import DataDemoSudahAda, buat_data_demo

    password = password or secrets.token_urlsafe(9)
    try:
        hasil = buat_data_demo(jumlah_kantor=jumlah_kantor, jumlah_kasus=jumlah_kasus, benih=benih, pada=_waktu(pada),
                               kata_sandi=password, akar=Path(akar), proses=proses, laporan=click.echo)
    except DataDemoSudahAda as e:
        if jika_kosong:
            click.echo(f"Data demo tidak dibuat: {e}")
            return
        raise click.ClickException(str(e)) from None
    if semua_status_rujukan:
        from dinsos.demo.status_rujukan import lengkapi_status_rujukan

        lengkapi_status_rujukan(hasil.kantor, laporan=click.echo)
    for tabel, n in sorted(hasil.jumlah.items()):
        click.echo(f"  {tabel}: {n}")
    click.echo(f"Kata sandi semua staf demo: {password}")
    for slug, akun in list(hasil.akun.items())[:5]:
        click.echo(f"  /t/{slug}/masuk  ->  " + ", ".join(f"{peran}: {email}" for peran, email in akun.items()))
    if len(hasil.akun) > 5:
        click.echo(f"  ... dan {len(hasil.akun) - 5} kantor lain (email staf: <nama>@<kantor>.demo)")
    click.echo(f"sidik data: {hasil.sidik}  ({hasil.detik:.0f} detik)")

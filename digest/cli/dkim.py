"""`digest dkim-key`: a DKIM key pair, and the DNS TXT record to publish for it."""

from __future__ import annotations

from pathlib import Path

import click

from digest.cli.group import debug_flag


@click.command("dkim-key")
@click.option("--domain", required=True, help="The domain messages are signed as (From's).")
@click.option("--selector", required=True,
              help="A name for this key, e.g. 'digest2024' (lets you rotate keys).")
@click.option("--key-file", "key_file", metavar="PATH",
              help="Where to write the private key (default: ./<selector>.<domain>.pem); "
                   "never over an existing file.")
@debug_flag
def dkim_key(domain, selector, key_file) -> None:
    """Make a DKIM key pair: the private key into a file only you can read, and print the
    TXT record to publish and the [dkim] table to add to the config.

    \b
    Example:
      digest dkim-key --domain example.org --selector digest2024
    """
    from digest.delivery import dkim

    domain = dkim.check_name(domain, "--domain")
    selector = dkim.check_name(selector, "--selector")
    path = Path(key_file) if key_file else Path(f"{selector}.{domain}.pem")
    pem, public = dkim.new_key_pair()
    dkim.write_key(path, pem)
    value = dkim.txt_value(public)
    click.echo(f"Private key: {path} (mode 600; keep it out of version control)")
    click.echo("")
    click.echo(f"Publish this TXT record at {selector}._domainkey.{domain}:")
    click.echo("")
    click.echo(dkim.dns_record(selector, domain, value))
    click.echo("")
    click.echo("(the value in one piece, for a DNS provider's web form:)")
    click.echo(value)
    click.echo("")
    click.echo("Then add to the config:")
    click.echo("")
    click.echo(f'[dkim]\ndomain = "{domain}"\nselector = "{selector}"\n'
               f'key_file = "{path.resolve()}"')

"""A self-signed certificate for the mirrored hosts, so https URLs work through the proxy.

Scrapy sends https requests through an http proxy as `CONNECT host:443` and does not verify certificates by
default; the mirror terminates TLS inside the tunnel with this certificate. It is made once with the
`cryptography` package (EC P-256: small and fast to handshake) and cached on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificate_files(hosts: list[str], cache_dir: Path) -> tuple[Path, Path]:
    names = sorted(set(hosts) | {"localhost"})
    tag = hashlib.sha1("\n".join(names).encode()).hexdigest()[:12]
    cert_path, key_path = cache_dir / f"mirror-{tag}.crt", cache_dir / f"mirror-{tag}.key"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "nianbao mirror")])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    san = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(int(tag, 16))
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * 30))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .sign(key, hashes.SHA256())
    )
    tmp_key, tmp_cert = key_path.with_suffix(".tmp1"), cert_path.with_suffix(".tmp2")
    tmp_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    tmp_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tmp_key.replace(key_path)  # rename last, so a concurrent reader never sees half a pair
    tmp_cert.replace(cert_path)
    return cert_path, key_path


def server_context(hosts: list[str], cache_dir: Path) -> ssl.SSLContext:
    cert, key = certificate_files(hosts, cache_dir)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx

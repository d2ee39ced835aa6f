"""A real OpenLDAP server (Debian's slapd) with a test directory, for the directory sign-in's
tests (units/ldap.py). Started once per test session on a free loopback port, as the current
user, with an mdb database in a temporary directory; stopped at the end. It offers StartTLS
with a certificate for 127.0.0.1 from a CA made here (`Directory.ca_file`).

The people, each with uid, cn, mail, employeeNumber (an 18-digit NIP) and an {SSHA} password;
Active Directory's sAMAccountName and userPrincipalName come from a small schema of our own
(Debian's msuser.schema declares them without an equality rule, so they could not be searched).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import ldap
import pytest

BASE = "dc=kemenag,dc=go,dc=id"
PEOPLE = f"ou=people,{BASE}"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "admin-directory-secret"
SEARCH_DN = f"cn=portal-search,{BASE}"  # the portal's read-only bind account
SEARCH_PASSWORD = "search-account-secret"


@dataclass(frozen=True)
class Person:
    uid: str
    name: str
    mail: str
    nip: str
    password: str

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


# Directory entries; the tests give some of them a portal account.
BUDI = Person("budi", "Budi Santoso", "budi@kemenag.go.id", "198001012005011001", "Dir-Budi-2026!")
# Her portal account has another address: found by NIP.
SITI = Person(
    "siti", "Siti Rahmawati", "siti.rahma@kemenag.go.id", "198505152010122002", "Dir-Siti-2026!"
)
BARU = Person("baru", "Ahmad Baru", "ahmad.baru@kemenag.go.id", "199001012015031003", "Dir-Baru!1")
# The conftest personas' addresses.
TPN = Person("tpn", "Anggota TPN", "tpn@example.id", "197703032000031004", "Dir-Tpn-2026!")
REVIEWER = Person(
    "reviewer", "Reviewer Kanwil", "reviewer.a@example.id", "198202022008012005", "Dir-Rev-2026!"
)
EVERYONE = (BUDI, SITI, BARU, TPN, REVIEWER)

AD_SCHEMA = """\
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.4203.666.99.1 NAME 'ziTestAdAccount' AUXILIARY
  MAY ( sAMAccountName $ userPrincipalName ) )
"""


@dataclass
class Directory:
    uri: str
    log: Path
    ca_file: Path  # the CA that signed the server's certificate (StartTLS on the same port)
    other_ca_file: Path  # a CA that did not


def _certificates(root: Path) -> None:
    """A CA and the server's certificate for 127.0.0.1 (StartTLS), and an unrelated CA."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def certificate(subject, key, issuer, issuer_key, *, ca):
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            import ipaddress

            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
        return builder.sign(issuer_key, hashes.SHA256())

    def write(path, cert):
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    ca_key, other_key, server_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    write(root / "ca.pem", certificate("ZI test CA", ca_key, "ZI test CA", ca_key, ca=True))
    write(root / "other-ca.pem", certificate("Other CA", other_key, "Other CA", other_key, ca=True))
    write(root / "server.pem", certificate("127.0.0.1", server_key, "ZI test CA", ca_key, ca=False))
    (root / "server.key").write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def ssha(password: str) -> str:
    """OpenLDAP's salted SHA-1 ({SSHA}), as slappasswd writes it."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()  # noqa: S324 (the directory's format)
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _ldif() -> str:
    entries = [
        f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Kemenag\ndc: kemenag\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {SEARCH_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: portal-search\nuserPassword: {ssha(SEARCH_PASSWORD)}\n",
    ]
    for person in EVERYONE:
        entries.append(
            f"dn: {person.dn}\nobjectClass: inetOrgPerson\nobjectClass: ziTestAdAccount\n"
            f"uid: {person.uid}\ncn: {person.name}\nsn: {person.name.split()[-1]}\n"
            f"mail: {person.mail}\nemployeeNumber: {person.nip}\n"
            f"sAMAccountName: {person.uid}\nuserPrincipalName: {person.uid}@kemenag.local\n"
            f"userPassword: {ssha(person.password)}\n"
        )
    return "\n".join(entries)


def _config(root: Path) -> str:
    schema = "/etc/ldap/schema"
    return f"""\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {root}/ad.schema
pidfile {root}/slapd.pid
TLSCACertificateFile {root}/ca.pem
TLSCertificateFile {root}/server.pem
TLSCertificateKeyFile {root}/server.key
argsfile {root}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{BASE}"
rootdn "{ADMIN_DN}"
rootpw {ssha(ADMIN_PASSWORD)}
directory {root}/db
# Passwords are compared by binding, never read; the portal's account reads the rest.
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{SEARCH_DN}" read by self read by * none
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _slapd() -> str | None:
    found = shutil.which("slapd")
    if found is None and os.access("/usr/sbin/slapd", os.X_OK):
        found = "/usr/sbin/slapd"
    return found


def _wait_until_bound(uri: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited ({process.returncode}):\n{log.read_text()}")
        try:
            connection = ldap.initialize(uri)
            connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)
            connection.simple_bind_s(SEARCH_DN, SEARCH_PASSWORD)
            connection.unbind_s()
            return
        except ldap.LDAPError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not answer on {uri}:\n{log.read_text()}") from None
            time.sleep(0.1)


@pytest.fixture(scope="session", name="slapd")
def slapd_fixture(tmp_path_factory) -> Directory:
    binary = _slapd()
    if binary is None:
        pytest.skip("slapd is not installed (Debian package slapd; .ci/run installs it)")
    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    (root / "ad.schema").write_text(AD_SCHEMA)
    _certificates(root)
    (root / "slapd.conf").write_text(_config(root))
    (root / "people.ldif").write_text(_ldif())
    slapadd = str(Path(binary).with_name("slapadd"))
    subprocess.run(  # offline load into the mdb database, before the server starts
        [slapadd, "-q", "-f", str(root / "slapd.conf"), "-l", str(root / "people.ldif")],
        check=True,
        capture_output=True,
    )
    uri = f"ldap://127.0.0.1:{_free_port()}/"
    log = root / "slapd.log"
    with log.open("wb") as out:
        # -d 0: in the foreground (no fork), so it is this process's child and ends with it.
        process = subprocess.Popen(
            [binary, "-h", uri, "-f", str(root / "slapd.conf"), "-d", "0"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_bound(uri, process, log)
        yield Directory(
            uri=uri, log=log, ca_file=root / "ca.pem", other_ca_file=root / "other-ca.pem"
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(name="directory")
def directory_fixture(slapd, settings) -> Directory:
    """The portal configured for the test directory, as README's OpenLDAP example."""
    settings.ZI_LDAP_SERVER_URI = slapd.uri
    settings.ZI_LDAP_BIND_DN = SEARCH_DN
    settings.ZI_LDAP_BIND_PASSWORD = SEARCH_PASSWORD
    settings.ZI_LDAP_USER_SEARCH_BASE = PEOPLE
    settings.ZI_LDAP_USER_FILTER = "(|(mail=%(user)s)(employeeNumber=%(user)s))"
    settings.ZI_LDAP_START_TLS = False
    settings.ZI_LDAP_CA_FILE = ""
    settings.ZI_LDAP_NIP_ATTR = "employeeNumber"
    settings.ZI_LDAP_EMAIL_ATTR = "mail"
    settings.ZI_LDAP_NAME_ATTR = "cn"
    settings.ZI_LDAP_CREATE_USERS = False
    settings.ZI_LDAP_TIMEOUT = 2
    return slapd

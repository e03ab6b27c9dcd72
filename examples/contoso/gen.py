#!/usr/bin/env python3
"""Regenerates the contoso example environment (deterministic; no network).

    python3 examples/contoso/gen.py

Writes, next to this file:
  contoso.ldif            account forest DC=contoso,DC=com, as `ldifde` writes it (CRLF,
                          changetype: add, base64 binaries, dn:: for non-ASCII, folded lines)
  resource.ldif           resource forest DC=res,DC=contoso,DC=net, as `ldapsearch -LLL` writes it
  graph/                  Graph export of tenant contoso.onmicrosoft.com (default tenant features)
  graph-strict/           a trimmed copy with blockSoftMatch and blockCloudObjectTakeover on
  expected.json           what a correct `syncready scan` reports for graph/
  expected-strict.json    the same for graph-strict/

The expectations are declared by hand, object by object, next to each object (see `exp=`):
they are NOT computed by a rule engine, so they stay an independent statement of the contract.
"""
import base64
import json
import os
import random
import shutil
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20260630)  # IdFix's retirement day

TENANT_ID = "8d2a4c71-3f5e-4b9a-a6d0-2c7e91f4b358"
CONTOSO_SID = (21, 2147390311, 3621408761, 1734577395)
RES_SID = (21, 3911552216, 2411906131, 1587366620)


# ---------------------------------------------------------------- helpers
def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def new_guid_bytes():
    return rand_bytes(16)


def new_id():
    return str(uuid.UUID(bytes=rand_bytes(16), version=4))


def b64(b):
    return base64.b64encode(b).decode("ascii")


def sid_bytes(domain, rid):
    subs = list(domain) + [rid]
    out = bytes([1, len(subs)]) + (5).to_bytes(6, "big")
    for s in subs:
        out += s.to_bytes(4, "little")
    return out


def ad_time():
    y = rng.randint(2014, 2025)
    return "%04d%02d%02d%02d%02d%02d.0Z" % (
        y, rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 19), rng.randint(0, 59), rng.randint(0, 59))


def when_changed():
    return "2026%02d%02d%02d%02d%02d.0Z" % (
        rng.randint(1, 6), rng.randint(1, 28), rng.randint(6, 19), rng.randint(0, 59), rng.randint(0, 59))


def needs_b64(s):
    if s == "":
        return False
    if s[0] in " :<" or s[-1] == " ":
        return True
    return any(ord(c) > 126 or c in "\r\n\0" for c in s)


def fold(line, width=76):
    """RFC 2849 folding: continuation lines start with exactly one space."""
    if len(line) <= width:
        return [line]
    # split so that no continuation line starts with a second space (legal, but unkind)
    cut = width
    while line[cut] == " ":
        cut -= 1
    out = [line[:cut]]
    rest = line[cut:]
    while rest:
        cut = min(width - 1, len(rest))
        while cut < len(rest) and rest[cut] == " ":
            cut -= 1
        out.append(" " + rest[:cut])
        rest = rest[cut:]
    return out


def attr_lines(name, value):
    if isinstance(value, bytes):
        return fold("%s:: %s" % (name, b64(value)))
    if needs_b64(value):
        return fold("%s:: %s" % (name, b64(value.encode("utf-8"))))
    return fold("%s: %s" % (name, value))


# ---------------------------------------------------------------- expectations
def F(rule, sev, attr, why):
    return (rule, sev, attr, why)


def M(outcome, cloud=None, reason=""):
    return (outcome, reason, cloud)


PROVISION = M("provision")


def E(findings=(), match=PROVISION, strict_findings=None, strict_match=None):
    return {
        "main": {"findings": list(findings), "match": match},
        "strict": {
            "findings": list(findings if strict_findings is None else strict_findings),
            "match": match if strict_match is None else strict_match,
        },
    }


# ---------------------------------------------------------------- on-premises objects
class Obj:
    def __init__(self, forest, dn, comment, attrs, exp=None, scope="in", rid=None):
        self.forest = forest      # "contoso" | "res"
        self.dn = dn
        self.comment = comment    # list of comment lines or None
        self.attrs = attrs        # ordered list of (name, value)
        self.exp = exp            # expectations (in-scope objects)
        self.scope = scope        # "in" | "skipped" | "out" | "container"

    def get(self, name):
        return [v for n, v in self.attrs if n.lower() == name.lower()]


OBJECTS = []
GUIDS = {}      # dn -> objectGUID bytes
SIDS = {}       # dn -> objectSid bytes
CGUIDS = {}     # dn -> mS-DS-ConsistencyGuid bytes
_rid = [1103]

C = "DC=contoso,DC=com"
ORG = "OU=Contoso," + C
STAFF = "OU=Staff," + ORG
PILOT = "OU=Sync Pilot," + ORG
GROUPS = "OU=Groups," + ORG
CONTACTS = "OU=Contacts," + ORG
SVC = "OU=Service Accounts," + ORG
WKS = "OU=Workstations," + ORG
USERS = "CN=Users," + C
MESO = "CN=Microsoft Exchange System Objects," + C
MONITORING = "CN=Monitoring Mailboxes," + MESO
SCHEMA = "CN=Schema,CN=Configuration," + C
R = "DC=res,DC=contoso,DC=net"


def container(forest, dn, classes, comment=None):
    rdn = dn.split(",", 1)[0]
    name = rdn.split("=", 1)[1]
    attrs = [("objectClass", c) for c in classes]
    key = rdn.split("=", 1)[0].lower()
    attrs += [(key if key != "dc" else "dc", name)]
    attrs += [("distinguishedName", dn), ("instanceType", "4" if key != "dc" else "5"),
              ("whenCreated", ad_time()), ("name", name), ("objectGUID", new_guid_bytes())]
    if key == "dc":
        schema = "CN=Domain-DNS,CN=Schema,CN=Configuration," + (C if forest == "contoso" else R)
    elif key == "ou":
        schema = "CN=Organizational-Unit,CN=Schema,CN=Configuration," + (C if forest == "contoso" else R)
    else:
        schema = "CN=Container,CN=Schema,CN=Configuration," + (C if forest == "contoso" else R)
    attrs += [("objectCategory", schema)]
    OBJECTS.append(Obj(forest, dn, comment, attrs, scope="container"))


def user(dn, sam, given=None, sn=None, display="__cn__", upn=None, mail=None, nick=None,
         proxies=(), uac=512, cguid=None, extra=(), exp=None, comment=None, forest="contoso",
         scope="in", classes=("top", "person", "organizationalPerson", "user"), category="Person",
         critical=False, rid=None):
    cn = dn.split(",", 1)[0][3:]
    cn_value = cn.replace("\\0A", "\n")
    base = C if forest == "contoso" else R
    guid = new_guid_bytes()
    GUIDS[dn] = guid
    if rid is None:
        _rid[0] += 1
        rid = _rid[0]
    sid = sid_bytes(CONTOSO_SID if forest == "contoso" else RES_SID, rid)
    SIDS[dn] = sid
    a = [("objectClass", c) for c in classes]
    a.append(("cn", cn_value))
    if sn is not None:
        a.append(("sn", sn))
    if given is not None:
        a.append(("givenName", given))
    a += [("distinguishedName", dn), ("instanceType", "4"), ("whenCreated", ad_time()),
          ("whenChanged", when_changed())]
    if display == "__cn__":
        display = cn
    if display is not None:
        a.append(("displayName", display))
    a += [("name", cn_value), ("objectGUID", guid), ("userAccountControl", str(uac))]
    if critical:
        a.append(("isCriticalSystemObject", "TRUE"))
    a += [("objectSid", sid)]
    if sam is not None:
        a.append(("sAMAccountName", sam))
    a.append(("sAMAccountType", "805306369" if "computer" in classes else "805306368"))
    if upn is not None:
        a.append(("userPrincipalName", upn))
    a.append(("objectCategory", "CN=%s,CN=Schema,CN=Configuration,%s" % (category, base)))
    if mail is not None:
        a.append(("mail", mail))
    if nick is not None:
        a.append(("mailNickname", nick))
    for p in proxies:
        a.append(("proxyAddresses", p))
    if cguid is not None:
        cg = guid if cguid == "self" else cguid
        CGUIDS[dn] = cg
        a.append(("mS-DS-ConsistencyGuid", cg))
    a += list(extra)
    OBJECTS.append(Obj(forest, dn, comment, a, exp=exp, scope=scope))
    return dn


def group(dn, sam, group_type, mail=None, nick=None, proxies=(), members=(), display="__cn__",
          extra=(), exp=None, comment=None, scope="in", critical=False, rid=None):
    cn = dn.split(",", 1)[0][3:]
    guid = new_guid_bytes()
    GUIDS[dn] = guid
    if rid is None:
        _rid[0] += 1
        rid = _rid[0]
    a = [("objectClass", "top"), ("objectClass", "group"), ("cn", cn)]
    for m in members:
        a.append(("member", m))
    a += [("distinguishedName", dn), ("instanceType", "4"), ("whenCreated", ad_time()),
          ("whenChanged", when_changed())]
    if display == "__cn__":
        display = cn
    if display is not None:
        a.append(("displayName", display))
    a += [("name", cn), ("objectGUID", guid)]
    if critical:
        a.append(("isCriticalSystemObject", "TRUE"))
    a += [("objectSid", sid_bytes(CONTOSO_SID, rid)), ("sAMAccountName", sam),
          ("sAMAccountType", "268435456" if group_type < 0 else "268435457"),
          ("groupType", str(group_type)),
          ("objectCategory", "CN=Group,CN=Schema,CN=Configuration," + C)]
    if mail is not None:
        a.append(("mail", mail))
    if nick is not None:
        a.append(("mailNickname", nick))
    for p in proxies:
        a.append(("proxyAddresses", p))
    a += list(extra)
    OBJECTS.append(Obj("contoso", dn, comment, a, exp=exp, scope=scope))
    return dn


def contact(dn, given, sn, mail=None, display="__cn__", extra=(), exp=None, comment=None, scope="in"):
    cn = dn.split(",", 1)[0][3:]
    guid = new_guid_bytes()
    GUIDS[dn] = guid
    a = [("objectClass", c) for c in ("top", "person", "organizationalPerson", "contact")]
    a += [("cn", cn), ("sn", sn), ("givenName", given), ("distinguishedName", dn),
          ("instanceType", "4"), ("whenCreated", ad_time()), ("whenChanged", when_changed())]
    if display == "__cn__":
        display = cn
    if display is not None:
        a.append(("displayName", display))
    a += [("name", cn), ("objectGUID", guid),
          ("objectCategory", "CN=Person,CN=Schema,CN=Configuration," + C)]
    if mail is not None:
        a.append(("mail", mail))
    a += list(extra)
    OBJECTS.append(Obj("contoso", dn, comment, a, exp=exp, scope=scope))
    return dn


def smtp(addr, *aliases):
    return ["SMTP:" + addr] + ["smtp:" + x for x in aliases]


def std_user(cn, first, last, sam, parent=STAFF, upn=None, aliases=(), extra_proxies=(), **kw):
    local = (first + "." + last).lower()
    addr = local + "@contoso.com"
    return user("CN=%s,%s" % (cn, parent), sam, given=first, sn=last,
                upn=upn or addr, mail=addr, nick=local,
                proxies=smtp(addr, *aliases) + list(extra_proxies), **kw)


# ============================================================ contoso.ldif
container("contoso", C, ("top", "domain", "domainDNS"))
container("contoso", USERS, ("top", "container"))
container("contoso", MESO, ("top", "container"))
container("contoso", MONITORING, ("top", "container"))
container("contoso", ORG, ("top", "organizationalUnit"))
container("contoso", PILOT, ("top", "organizationalUnit"))
container("contoso", STAFF, ("top", "organizationalUnit"))
container("contoso", GROUPS, ("top", "organizationalUnit"))
container("contoso", CONTACTS, ("top", "organizationalUnit"))
container("contoso", SVC, ("top", "organizationalUnit"))
container("contoso", WKS, ("top", "organizationalUnit"))

# ---- scope exclusions (coverage.skipped) --------------------------------------------
ADMINISTRATOR = user("CN=Administrator," + USERS, "Administrator", display=None, uac=66048,
                     critical=True, rid=500, scope="skipped",
                     extra=[("description", "Built-in account for administering the computer/domain")],
                     comment=["SCOPE: isCriticalSystemObject=TRUE (built-in) -> skipped"])
user("CN=krbtgt," + USERS, "krbtgt", display=None, uac=514, critical=True, rid=502, scope="skipped",
     extra=[("description", "Key Distribution Center Service Account")],
     comment=["SCOPE: isCriticalSystemObject=TRUE (krbtgt) -> skipped"])
group("CN=Domain Admins," + USERS, "Domain Admins", -2147483646, members=[ADMINISTRATOR], display=None,
      critical=True, rid=512, scope="skipped",
      extra=[("description", "Designated administrators of the domain")],
      comment=["SCOPE: isCriticalSystemObject=TRUE (built-in security group) -> skipped"])
user("CN=SUPPORT_388945a0," + USERS, "SUPPORT_388945a0", display="CN=Microsoft Corporation,L=Redmond,S=Washington,C=US",
     uac=66050, scope="skipped",
     comment=["SCOPE: sAMAccountName SUPPORT_388945a0 -> skipped"])
user("CN=MSOL_5d3b1a2c9e4f," + USERS, "MSOL_5d3b1a2c9e4f", display=None, uac=66048, scope="skipped",
     extra=[("description", "Account created by Microsoft Azure Active Directory Connect with "
                            "installation identifier 5d3b1a2c9e4f4a1b8c7d2e3f4a5b6c7d running on "
                            "computer SYNC01 configured to synchronize to tenant "
                            "contoso.onmicrosoft.com. This account must have directory "
                            "replication permissions in the local Active Directory and write "
                            "permission on certain attributes to enable Hybrid Deployment.")],
     comment=["SCOPE: sAMAccountName starts MSOL_ (old sync server's AD DS",
              "connector account) -> skipped. Its description is a long value",
              "folded across lines."])
user("CN=AAD_0c7e2b4f91d3," + USERS, "AAD_0c7e2b4f91d3", display=None, uac=66048, scope="skipped",
     comment=["SCOPE: sAMAccountName starts AAD_ -> skipped"])
user("CN=DiscoverySearchMailbox {D919BA05-46A6-415f-80AD-7E09334BB852}," + USERS, "SM_2a7f4c9e1b3d4f6a8",
     display="Discovery Search Mailbox", uac=514, scope="skipped",
     upn="DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}@contoso.com",
     mail="DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}@contoso.com",
     nick="DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}",
     proxies=["SMTP:DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}@contoso.com"],
     extra=[("msExchRecipientTypeDetails", "536870912")],
     comment=["SCOPE: msExchRecipientTypeDetails 536870912 (DiscoveryMailbox) is in",
              "the mask 0x21C07000 -> skipped (braces in its UPN never reported)"])
user("CN=SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}," + USERS, "SM_5c1e8b3a7d2f4e9b1",
     display="Microsoft Exchange", uac=514, scope="skipped",
     upn="SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}@contoso.com",
     mail="SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}@contoso.com",
     nick="SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}",
     proxies=["SMTP:SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}@contoso.com"],
     extra=[("msExchRecipientTypeDetails", "8388608")],
     comment=["SCOPE: mailNickname starts SystemMailbox{ (arbitration mailbox,",
              "recipient type 8388608 is in the mask too) -> skipped"])

# ---- the sync pilot: already synced by an old Azure AD Connect server (hard match) -----
ADELE = std_user("Adele Vance", "Adele", "Vance", "avance", parent=PILOT, aliases=["avance@contoso.com"],
                 extra_proxies=["SIP:adele.vance@contoso.com"], cguid="self",
                 extra=[("title", "IT Helpdesk Lead"), ("msExchRecipientTypeDetails", "1")],
                 exp=E(match=M("hard-match", "cu_adele")),
                 comment=["TRAP: hard-matches a SYNCED cloud user that holds Helpdesk",
                          "Administrator -> no admin-hard-match-blocked (only cloud-managed",
                          "targets are protected). Anchor = mS-DS-ConsistencyGuid."])
ALEX = std_user("Alex Wilber", "Alex", "Wilber", "awilber", parent=PILOT, cguid="self",
                extra=[("title", "Marketing Assistant"), ("msExchRecipientTypeDetails", "1")],
                exp=E(match=M("hard-match", "cu_alex")))
MEGAN = std_user("Megan Bowen", "Megan", "Bowen", "mbowen", parent=PILOT, aliases=["mbowen@contoso.com"],
                 extra=[("title", "Marketing Manager"), ("msExchRecipientTypeDetails", "2147483648"),
                        ("targetAddress", "SMTP:megan.bowen@contoso.mail.onmicrosoft.com")],
                 exp=E(match=M("hard-match", "cu_megan")),
                 comment=["Hard match on objectGUID (no mS-DS-ConsistencyGuid). Remote",
                          "mailbox: recipient type 2147483648 does not fit in an int32."])
OLD_FOREST_GUID = new_guid_bytes()
LEE = std_user("Lee Gu", "Lee", "Gu", "lgu", parent=PILOT, cguid=OLD_FOREST_GUID,
               extra=[("title", "Director"), ("msExchRecipientTypeDetails", "1")],
               exp=E(match=M("hard-match", "cu_lee")),
               comment=["Migrated from an old forest: mS-DS-ConsistencyGuid is the OLD",
                        "objectGUID, not this one. The cloud immutable id is base64 of",
                        "the ConsistencyGuid -> hard-match (auto source anchor)."])

# ---- staff: clean users --------------------------------------------------------------
NESTOR = std_user("Nestor Wilke", "Nestor", "Wilke", "nwilke", aliases=["nwilke@contoso.com"],
                  extra=[("title", "Director of Operations")],
                  exp=E(match=M("soft-match-smtp", "cu_nestor"),
                        strict_match=M("blocked", "cu_nestor", "soft-match-disabled"),
                        strict_findings=[
                            F("soft-match-disabled", "error", "proxyAddresses",
                              "primary SMTP matches cloud-only user Nestor Wilke; tenant blocks soft match"),
                            F("duplicate-proxy-address", "error", "proxyAddresses",
                              "nestor.wilke@contoso.com also held by the unjoined cloud user"),
                            F("duplicate-upn", "error", "userPrincipalName",
                              "nestor.wilke@contoso.com also the UPN of the unjoined cloud user")]),
                  comment=["Soft match on primary SMTP with a cloud-only mailbox (same UPN).",
                           "STRICT: soft match blocked -> soft-match-disabled + duplicates."])
ISAIAH = std_user("Isaiah Langer", "Isaiah", "Langer", "ilanger",
                  extra=[("title", "Sales Rep")],
                  exp=E(match=M("soft-match-smtp", "cu_isaiah"), strict_match=PROVISION))
JOHANNA = std_user("Johanna Lorenz", "Johanna", "Lorenz", "jlorenz",
                   extra=[("title", "Senior Engineer")],
                   exp=E(match=M("soft-match-upn", "cu_johanna"),
                         strict_match=M("blocked", "cu_johanna", "soft-match-disabled"),
                         strict_findings=[
                             F("soft-match-disabled", "error", "userPrincipalName",
                               "UPN matches cloud-only user Johanna Lorenz; tenant blocks soft match"),
                             F("duplicate-upn", "error", "userPrincipalName",
                               "johanna.lorenz@contoso.com also the UPN of the unjoined cloud user")]),
                   comment=["Soft match on UPN: the cloud user has no mailbox, so the primary",
                            "SMTP matches nothing and the UPN does.",
                            "STRICT: blocked soft-match-disabled + duplicate-upn."])
X500_DIEGO = ("X500:/o=ContosoCorp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
              "/cn=Recipients/cn=5e8a1c4b2f3d4e6a9b7c0d1e2f3a4b5c-Diego Sicil")
std_user("Diego Siciliani", "Diego", "Siciliani", "dsiciliani", extra_proxies=[X500_DIEGO],
         extra=[("title", "HR Manager")],
         comment=["TRAP: X500 proxy address with spaces and parentheses is legal",
                  "(IdFix #16); the long line is folded. No finding."])
std_user("Grady Archie", "Grady", "Archie", "garchie", aliases=["garchie@contoso.com"],
         extra=[("title", "Designer")])
std_user("Lynne Robbins", "Lynne", "Robbins", "lrobbins", uac=514,
         extra=[("title", "Planner"), ("description", "Left 2026-02; mailbox kept for 90 days")])
std_user("Miriam Graham", "Miriam", "Graham", "mgraham", extra=[("title", "Director")])
std_user("Henrietta Mueller", "Henrietta", "Mueller", "hmueller",
         extra_proxies=["X400:C=US;A= ;P=ContosoCorp;O=Exchange;S=Mueller;G=Henrietta;"],
         extra=[("title", "Developer")],
         comment=["TRAP: X400 proxy with spaces and semicolons is legal. No finding."])
std_user("Patti Fernandez", "Patti", "Fernandez", "pfernandez", extra=[("title", "President")])
std_user("Debra Berger", "Debra", "Berger", "dberger", aliases=["dberger@contoso.com"],
         extra=[("title", "Administrative Assistant")])
ZOE = user("CN=Zoë Müller," + STAFF, "zmueller", given="Zoë", sn="Müller", display="Zoë Müller",
           upn="zoe.mueller@contoso.com", mail="zoe.mueller@contoso.com", nick="zoe.mueller",
           proxies=smtp("zoe.mueller@contoso.com", "zoe.muller@contoso.com"),
           extra=[("title", "Product Manager")],
           comment=["Non-ASCII name: dn:: and cn::/name::/displayName:: are base64.", "Clean."])
user("CN=José Núñez," + STAFF, "jnunez", given="José", sn="Núñez", display="José Núñez",
     upn="jose.nunez@contoso.com", mail="jose.nunez@contoso.com", nick="jose.nunez",
     proxies=smtp("jose.nunez@contoso.com"), extra=[("title", "Accountant")],
     comment=["Non-ASCII name (dn:: base64). Clean."])
user("CN=Siobhan O'Brien," + STAFF, "sobrien", given="Siobhan", sn="O'Brien",
     upn="siobhan.o'brien@contoso.com", mail="siobhan.o'brien@contoso.com", nick="siobhan.o'brien",
     proxies=smtp("siobhan.o'brien@contoso.com", "o'brien@contoso.com"),
     extra=[("title", "Counsel")],
     comment=["TRAP: apostrophe in UPN, mail, proxy and mailNickname is legal. No finding."])
LONG64 = "annika-katharina.oberhauser-wittelsbach.von.und.zu.liechtenstein"
assert len(LONG64) == 64
user("CN=Annika-Katharina Oberhauser-Wittelsbach," + STAFF, "aoberhauser",
     given="Annika-Katharina", sn="Oberhauser-Wittelsbach von und zu Liechtenstein",
     display="Annika-Katharina Oberhauser-Wittelsbach von und zu Liechtenstein",
     upn=LONG64 + "@contoso.com", mail=LONG64 + "@contoso.com", nick="aoberhauser",
     proxies=smtp(LONG64 + "@contoso.com", "aoberhauser@contoso.com"),
     extra=[("title", "Legal Counsel")],
     comment=["TRAP: UPN with exactly 64 characters before @ is legal (limit is 64).",
              "No finding."])
PAT = user("CN=Pat Morgan," + STAFF, "pmorgan", given="Pat", sn="Morgan",
           upn="pat.morgan@contoso.com", mail="pat.morgan@contoso.com",
           proxies=["SMTP:pat.morgan@contoso.com"], rid=1500,
           extra=[("title", "Finance Director")],
           comment=["TRAP: account-forest user whose LINKED MAILBOX lives in resource.ldif",
                    "(msExchMasterAccountSid = this objectSid). Same UPN and SMTP there:",
                    "one person, never a duplicate. No finding, provision."])
CHRIS = std_user("Chris Green", "Chris", "Green", "cgreen", extra=[("title", "IT Admin")])
user("CN=Chris Green\\0ACNF:0f3c9a52-7d1e-4b8f-a6c2-e49b5d7f8a13," + STAFF, "$DUPLICATE-4f2",
     given="Chris", sn="Green", display="Chris Green", upn="chris.green@contoso.com",
     mail="chris.green@contoso.com", nick="chris.green", proxies=smtp("chris.green@contoso.com"),
     scope="skipped",
     comment=["SCOPE: replication conflict object (\\0ACNF: in the DN) -> skipped.",
              "It repeats Chris Green's UPN/SMTP: no duplicate may be reported."])

# ---- defects: duplicates -----------------------------------------------------------------
DUP_PROXY_A = "CN=Dup Proxy A," + STAFF
DUP_PROXY_B = "CN=Dup Proxy B," + STAFF
user(DUP_PROXY_A, "dupproxya", given="Dup", sn="Proxy A", upn="dup.proxy.a@contoso.com",
     mail="dup.proxy.a@contoso.com", nick="dup.proxy.a",
     proxies=smtp("dup.proxy.a@contoso.com", "frontdesk@contoso.com"),
     exp=E([F("duplicate-proxy-address", "error", "proxyAddresses",
              "frontdesk@contoso.com also held by Dup Proxy B")]),
     comment=["DEFECT duplicate-proxy-address: alias frontdesk@contoso.com is also on",
              "Dup Proxy B (two on-prem holders -> one finding on each)."])
user(DUP_PROXY_B, "dupproxyb", given="Dup", sn="Proxy B", upn="dup.proxy.b@contoso.com",
     mail="dup.proxy.b@contoso.com", nick="dup.proxy.b",
     proxies=smtp("dup.proxy.b@contoso.com", "frontdesk@contoso.com"),
     exp=E([F("duplicate-proxy-address", "error", "proxyAddresses",
              "frontdesk@contoso.com also held by Dup Proxy A")]),
     comment=["DEFECT duplicate-proxy-address: see Dup Proxy A."])
user("CN=Dup UPN A," + STAFF, "dupupna", given="Dup", sn="UPN A", upn="dup.upn@contoso.com",
     mail="dup.upn.a@contoso.com", nick="dup.upn.a", proxies=smtp("dup.upn.a@contoso.com"),
     exp=E([F("duplicate-upn", "error", "userPrincipalName",
              "dup.upn@contoso.com is also the UPN of Dup UPN B in the resource forest")]),
     comment=["DEFECT duplicate-upn: the same UPN is on CN=Dup UPN B in resource.ldif",
              "(AD refuses equal UPNs inside one forest, not across forests)."])
user("CN=Dup Cloud Proxy," + STAFF, "dupcloudproxy", given="Dup", sn="Cloud Proxy",
     upn="dup.cloud.proxy@contoso.com", mail="dup.cloud.proxy@contoso.com", nick="dup.cloud.proxy",
     proxies=smtp("dup.cloud.proxy@contoso.com", "info@contoso.com"),
     exp=E([F("duplicate-proxy-address", "error", "proxyAddresses",
              "alias info@contoso.com is held by the cloud-only shared mailbox Info (not joined)")]),
     comment=["DEFECT duplicate-proxy-address against the cloud: alias info@contoso.com",
              "is the address of a cloud-only shared mailbox that nothing joins",
              "(an alias never soft-matches) -> one finding, on this object."])
user("CN=Dup Nickname A," + STAFF, "dupnicka", given="Dup", sn="Nickname A",
     upn="dup.nickname.a@contoso.com", mail="dup.nickname.a@contoso.com", nick="dupnick",
     proxies=smtp("dup.nickname.a@contoso.com"),
     exp=E([F("duplicate-mailnickname", "warning", "mailNickname",
              "mailNickname dupnick also on Dup Nickname B")]),
     comment=["DEFECT duplicate-mailnickname: dupnick is also on Dup Nickname B."])
user("CN=Dup Nickname B," + STAFF, "dupnickb", given="Dup", sn="Nickname B",
     upn="dup.nickname.b@contoso.com", mail="dup.nickname.b@contoso.com", nick="dupnick",
     proxies=smtp("dup.nickname.b@contoso.com"),
     exp=E([F("duplicate-mailnickname", "warning", "mailNickname",
              "mailNickname dupnick also on Dup Nickname A")]),
     comment=["DEFECT duplicate-mailnickname: see Dup Nickname A."])

# ---- defects: matching against the tenant ------------------------------------------------
user("CN=Admin Soft Match," + STAFF, "adminsoftmatch", given="Admin", sn="Soft Match",
     upn="admin.soft.match@contoso.com", mail="admin.soft.match@contoso.com", nick="admin.soft.match",
     proxies=smtp("admin.soft.match@contoso.com"),
     exp=E([F("admin-soft-match-blocked", "error", "proxyAddresses",
              "soft-match candidate holds Privileged Role Administrator (active) through "
              "role-assignable group Tier 0 Admins"),
            F("duplicate-proxy-address", "error", "proxyAddresses",
              "admin.soft.match@contoso.com held by the blocked (unjoined) cloud admin")],
           match=M("blocked", "cu_adminsoft", "admin-role"), strict_findings=[], strict_match=PROVISION),
     comment=["DEFECT admin-soft-match-blocked: primary SMTP equals a cloud-only user",
              "with an ACTIVE directory role (Privileged Role Administrator through",
              "the role-assignable group Tier 0 Admins, see roleGroupMembers/)",
              "-> blocked admin-role; the address collides (duplicate-proxy-address).",
              "STRICT: that cloud user is absent -> provision, no finding."])
ADMIN_HARD = user("CN=Admin Hard Match," + STAFF, "adminhardmatch", given="Admin", sn="Hard Match",
                  upn="admin.hard.match@contoso.com", mail="admin.hard.match@contoso.com",
                  nick="admin.hard.match", proxies=smtp("admin.hard.match@contoso.com"),
                  exp=E([F("admin-hard-match-blocked", "error", "objectGUID",
                           "hard-match target is cloud-managed and holds Exchange "
                           "Administrator (active, direct)")],
                        match=M("blocked", "cu_adminhard", "admin-role"),
                        strict_findings=[], strict_match=PROVISION),
                  comment=["DEFECT admin-hard-match-blocked: objectGUID equals the immutable id",
                           "of a CLOUD-MANAGED user who holds Exchange Administrator (active,",
                           "direct assignment) -> blocked admin-role. The cloud user shares",
                           "no UPN/SMTP with this object (no duplicates).",
                           "STRICT: that cloud user is absent -> provision, no finding."])
user("CN=Eligible Admin," + STAFF, "eligibleadmin", given="Eligible", sn="Admin",
     upn="eligible.admin@contoso.com", mail="eligible.admin@contoso.com", nick="eligible.admin",
     proxies=smtp("eligible.admin@contoso.com"),
     exp=E([F("admin-soft-match-blocked", "info", "proxyAddresses",
              "soft-match candidate is only ELIGIBLE for User Administrator (no active role)")],
           match=M("soft-match-smtp", "cu_eligible"), strict_findings=[], strict_match=PROVISION),
     comment=["DEFECT admin-soft-match-blocked, eligible-only variant: the candidate is",
              "only PIM-eligible for User Administrator -> info, and the join goes",
              "ahead (soft-match-smtp). STRICT: candidate absent -> provision."])
user("CN=Soft Match Anchored," + STAFF, "softmatchanchored", given="Soft Match", sn="Anchored",
     upn="soft.match.anchored@contoso.com", mail="soft.match.anchored@contoso.com",
     nick="soft.match.anchored", proxies=smtp("soft.match.anchored@contoso.com"),
     exp=E([F("soft-match-anchored", "error", "proxyAddresses",
              "candidate is already synced from the Fabrikam forest (other immutable id)"),
            F("duplicate-proxy-address", "error", "proxyAddresses",
              "soft.match.anchored@contoso.com held by the anchored (unjoined) cloud user")],
           match=M("blocked", "cu_anchored", "anchored"), strict_findings=[], strict_match=PROVISION),
     comment=["DEFECT soft-match-anchored: primary SMTP equals a cloud user synced",
              "from the Fabrikam forest (onPremisesSyncEnabled true, another immutable",
              "id) -> blocked anchored (InvalidSoftMatch) + duplicate-proxy-address.",
              "STRICT: candidate absent -> provision."])
user("CN=UPN Mismatch," + STAFF, "upnmismatch", given="UPN", sn="Mismatch",
     upn="upn.mismatch@contoso.com", mail="upn.mismatch@contoso.com", nick="upn.mismatch",
     proxies=smtp("upn.mismatch@contoso.com"),
     exp=E([F("upn-mismatch", "warning", "userPrincipalName",
              "joined cloud user's UPN is upn.mismatch@contoso.onmicrosoft.com; it will be "
              "overwritten (synchronizeUpnForManagedUsersEnabled)")],
           match=M("soft-match-smtp", "cu_upnmismatch"), strict_findings=[], strict_match=PROVISION),
     comment=["DEFECT upn-mismatch: soft-matches (SMTP) a cloud user whose UPN is on",
              "contoso.onmicrosoft.com. STRICT: candidate absent -> provision."])
TAKEOVER = user("CN=Hard Match Takeover," + STAFF, "hmtakeover", given="Hard Match", sn="Takeover",
                upn="hard.match.takeover@contoso.com", mail="hard.match.takeover@contoso.com",
                nick="hard.match.takeover", proxies=smtp("hard.match.takeover@contoso.com"),
                exp=E([F("upn-mismatch", "warning", "userPrincipalName",
                         "hard-matched cloud user's UPN is hmtakeover@contoso.onmicrosoft.com; "
                         "it will be overwritten")],
                      match=M("hard-match", "cu_takeover"),
                      strict_findings=[F("hard-match-takeover-blocked", "error", "objectGUID",
                                         "hard-match target is cloud-managed and the tenant blocks "
                                         "takeover through hard match")],
                      strict_match=M("blocked", "cu_takeover", "takeover-blocked")),
                comment=["DEFECT (strict variant) hard-match-takeover-blocked: objectGUID equals",
                         "the immutable id an admin stamped on a CLOUD-MANAGED user (no role).",
                         "MAIN: takeover allowed -> hard-match, and the UPNs differ",
                         "(upn-mismatch). STRICT: blocked takeover-blocked."])
user("CN=Soft Deleted Conflict," + STAFF, "softdeleted", given="Soft Deleted", sn="Conflict",
     upn="soft.deleted.conflict@contoso.com", mail="soft.deleted.conflict@contoso.com",
     nick="soft.deleted.conflict", proxies=smtp("soft.deleted.conflict@contoso.com"),
     exp=E([F("soft-deleted-conflict", "warning", "proxyAddresses",
              "soft.deleted.conflict@contoso.com is an address of a soft-deleted cloud user")]),
     comment=["DEFECT soft-deleted-conflict: provisioned, and its primary SMTP is an",
              "address of a user in the tenant's recycle bin (deletedUsers.json; the",
              "deleted UPN is id-prefixed and differs)."])
user("CN=Missing UPN," + STAFF, "missingupn", given="Missing", sn="UPN", upn=None,
     mail="missing.upn@contoso.com", nick="missing.upn", proxies=smtp("missing.upn@contoso.com"),
     exp=E([F("missing-upn", "warning", "userPrincipalName",
              "no UPN: Entra Connect derives missingupn@contoso.com")]),
     comment=["DEFECT missing-upn: no userPrincipalName (derived missingupn@contoso.com",
              "is on a verified domain and collides with nothing)."])
user("CN=UPN Suffix Unverified," + STAFF, "upnsuffix", given="UPN Suffix", sn="Unverified",
     upn="upn.suffix.unverified@fabrikam.com", mail="upn.suffix.unverified@contoso.com",
     nick="upn.suffix.unverified", proxies=smtp("upn.suffix.unverified@contoso.com"),
     exp=E([F("upn-suffix-unverified", "warning", "userPrincipalName",
              "fabrikam.com is in the tenant but not verified")]),
     comment=["DEFECT upn-suffix-unverified: UPN on fabrikam.com (added, not verified)."])
user("CN=Local Suffix," + STAFF, "localsuffix", given="Local", sn="Suffix",
     upn="local.suffix@contoso.local", mail="local.suffix@contoso.com", nick="local.suffix",
     proxies=smtp("local.suffix@contoso.com"),
     exp=E([F("upn-suffix-unverified", "warning", "userPrincipalName", "contoso.local is not a tenant domain"),
            F("unroutable-domain", "warning", "userPrincipalName", ".local is not an ICANN TLD")]),
     comment=["DEFECT unroutable-domain: UPN on contoso.local (also, necessarily,",
              "upn-suffix-unverified)."])
user("CN=Proxy Domain Unverified," + STAFF, "proxydomain", given="Proxy Domain", sn="Unverified",
     upn="proxy.domain.unverified@contoso.com", mail="proxy.domain.unverified@contoso.com",
     nick="proxy.domain.unverified",
     proxies=smtp("proxy.domain.unverified@contoso.com", "proxy.domain.unverified@fabrikam.com"),
     exp=E([F("proxy-domain-unverified", "warning", "proxyAddresses",
              "alias on fabrikam.com, which is not verified")]),
     comment=["DEFECT proxy-domain-unverified: alias on fabrikam.com (not verified)."])
user("CN=Onmicrosoft Proxy," + STAFF, "onmsproxy", given="Onmicrosoft", sn="Proxy",
     upn="onmicrosoft.proxy@contoso.com", mail="onmicrosoft.proxy@contoso.com", nick="onmicrosoft.proxy",
     proxies=smtp("onmicrosoft.proxy@contoso.com", "onmicrosoft.proxy@fabrikam.onmicrosoft.com"),
     exp=E([F("proxy-domain-unverified", "info", "proxyAddresses",
              "alias on another tenant's fabrikam.onmicrosoft.com: discarded and regenerated")]),
     comment=["DEFECT proxy-domain-unverified, info variant: leftover alias on another",
              "tenant's initial domain fabrikam.onmicrosoft.com (not verified here)."])

# ---- defects: per-object (IdFix parity) --------------------------------------------------
user("CN=Lowercase Primary NoMail," + STAFF, "lcprimarynomail", given="Lowercase", sn="Primary NoMail",
     upn="lowercase.primary.nomail@contoso.com", mail=None, nick="lowercase.primary.nomail",
     proxies=["smtp:lowercase.primary.nomail@contoso.com", "smtp:lpnomail@contoso.com"],
     exp=E([F("lowercase-primary-smtp", "error", "proxyAddresses", "only smtp: values, no SMTP: and no mail")]),
     comment=["DEFECT lowercase-primary-smtp (error): smtp: values only, no mail."])
user("CN=Lowercase Primary Mail," + STAFF, "lcprimarymail", given="Lowercase", sn="Primary Mail",
     upn="lowercase.primary.mail@contoso.com", mail="lowercase.primary.mail@contoso.com",
     nick="lowercase.primary.mail",
     proxies=["smtp:lowercase.primary.mail@contoso.com", "smtp:lpmail@contoso.com"],
     exp=E([F("lowercase-primary-smtp", "warning", "proxyAddresses",
              "only smtp: values; mail is set and becomes the primary")]),
     comment=["DEFECT lowercase-primary-smtp (warning): smtp: values only, mail set."])
user("CN=Multiple Primary," + STAFF, "multipleprimary", given="Multiple", sn="Primary",
     upn="multiple.primary@contoso.com", mail="multiple.primary@contoso.com", nick="multiple.primary",
     proxies=["SMTP:multiple.primary@contoso.com", "SMTP:mprimary@contoso.com"],
     exp=E([F("multiple-primary-smtp", "error", "proxyAddresses", "two SMTP: values")]),
     comment=["DEFECT multiple-primary-smtp: two SMTP: values (one finding)."])
user("CN=Björn Lindqvist," + STAFF, "blindqvist", given="Björn", sn="Lindqvist",
     upn="björn.lindqvist@contoso.com", mail="bjorn.lindqvist@contoso.com", nick="bjorn.lindqvist",
     proxies=smtp("bjorn.lindqvist@contoso.com"), extra=[("title", "Analyst")],
     exp=E([F("invalid-character", "error", "userPrincipalName", "diacritic (ö) in the UPN prefix")]),
     comment=["DEFECT invalid-character (UPN, error): diacritic in the UPN",
              "(userPrincipalName:: is base64). Mail and proxies are ASCII."])
user("CN=Invalid Char Nickname," + STAFF, "invalidnick", given="Invalid Char", sn="Nickname",
     upn="invalid.char.nickname@contoso.com", mail="invalid.char.nickname@contoso.com",
     nick="invalid nickname", proxies=smtp("invalid.char.nickname@contoso.com"),
     exp=E([F("invalid-character", "warning", "mailNickname",
              "space in mailNickname; the service makes it invalid_nickname")]),
     comment=["DEFECT invalid-character (mailNickname, warning): a space, replaced",
              "by _ in the cloud."])
TOO_LONG = "too.long.upn.sixty.five.characters.before.the.at.sign.is.one.over"
assert len(TOO_LONG) == 65
user("CN=Too Long UPN," + STAFF, "toolongupn", given="Too Long", sn="UPN",
     upn=TOO_LONG + "@contoso.com", mail="too.long.upn@contoso.com", nick="too.long.upn",
     proxies=smtp("too.long.upn@contoso.com"),
     exp=E([F("too-long", "error", "userPrincipalName", "65 characters before @ (limit 64)")]),
     comment=["DEFECT too-long: 65 characters before @ in the UPN (limit 64)."])
user("CN=Double Prefix," + STAFF, "doubleprefix", given="Double", sn="Prefix",
     upn="double.prefix@contoso.com", mail="double.prefix@contoso.com", nick="double.prefix",
     proxies=["SMTP:double.prefix@contoso.com", "smtp:smtp:double.prefix@contoso.com"],
     exp=E([F("invalid-format", "error", "proxyAddresses", "smtp:smtp:... has a second : after its prefix")]),
     comment=["DEFECT invalid-format: proxy value smtp:smtp:double.prefix@contoso.com."])
user("CN=Blank Display Name," + STAFF, "blankdisplay", given="Blank", sn="Display Name", display=" ",
     upn="blank.display.name@contoso.com", mail="blank.display.name@contoso.com",
     nick="blank.display.name", proxies=smtp("blank.display.name@contoso.com"),
     exp=E([F("blank", "warning", "displayName", "displayName is a single space")]),
     comment=["DEFECT blank (warning): displayName is whitespace only (base64 IA==).",
              "Only blank is expected, not leading-trailing-space."])
user("CN=No Display Name," + STAFF, "nodisplay", given="No", sn="Display Name", display=None,
     upn="no.display.name@contoso.com", mail="no.display.name@contoso.com", nick="no.display.name",
     proxies=smtp("no.display.name@contoso.com"),
     exp=E([F("blank", "info", "displayName", "no displayName: the cloud display name becomes the CN")]),
     comment=["DEFECT blank (info): no displayName at all."])
user("CN=Trailing Space," + STAFF, "trailingspace", given="Trailing", sn="Space ", display="Trailing Space",
     upn="trailing.space@contoso.com", mail="trailing.space@contoso.com", nick="trailing.space",
     proxies=smtp("trailing.space@contoso.com"),
     exp=E([F("leading-trailing-space", "warning", "sn", "sn is 'Space ' (trailing space)")]),
     comment=["DEFECT leading-trailing-space: sn 'Space ' (base64 because of the",
              "trailing space)."])
CERTS = []
for i in range(16):
    body = rand_bytes(rng.randint(180, 260))
    CERTS.append(bytes([0x30, 0x82]) + len(body).to_bytes(2, "big") + body)
user("CN=Large Object," + STAFF, "largeobject", given="Large", sn="Object",
     upn="large.object@contoso.com", mail="large.object@contoso.com", nick="large.object",
     proxies=smtp("large.object@contoso.com"),
     extra=[("userCertificate", c) for c in CERTS],
     exp=E([F("large-object", "warning", "userCertificate", "16 userCertificate values (limit 15)")]),
     comment=["DEFECT large-object: 16 userCertificate values (limit 15)."])

# ---- Exchange system mailbox that syncs --------------------------------------------------
HM = "HealthMailbox3f6c2b9d8e7a4c1f9b2d5e8a7c4f1b3d"
user("CN=%s,%s" % (HM, MONITORING), HM[:20], display="HealthMailbox-EX01-Mailbox-Database-0412345678",
     upn=HM + "@contoso.com", mail=HM + "@contoso.com", nick=HM,
     proxies=smtp(HM + "@contoso.com", HM + "@fabrikam.com"),
     extra=[("msExchRecipientTypeDetails", "549755813888")],
     exp=E([F("proxy-domain-unverified", "info", "proxyAddresses",
              "HealthMailbox (system mailbox): alias on unverified fabrikam.com, info only")]),
     comment=["SYSTEM MAILBOX that syncs (HealthMailbox*, recipient type",
              "MonitoringMailbox, not in the exclusion mask): an alias on the",
              "unverified fabrikam.com -> proxy-domain-unverified at INFO, not warning."])

# ---- service account, computer ------------------------------------------------------------
user("CN=svc-backup," + SVC, "svc-backup", given=None, sn=None, display="Backup Service",
     upn="svc-backup@contoso.com", uac=66048,
     extra=[("description", "Veeam backup service account")],
     comment=["Service account without mail: in scope (a user), clean, provision."])
user("CN=WS-0042," + WKS, "WS-0042$", display=None, uac=4096, scope="out",
     classes=("top", "person", "organizationalPerson", "user", "computer"), category="Computer",
     extra=[("dNSHostName", "WS-0042.contoso.com"), ("operatingSystem", "Windows 11 Enterprise")],
     comment=["OUT OF SCOPE: a computer (its objectClass also lists user). Not",
              "matched, not reported, not in skipped."])

# ---- groups ----------------------------------------------------------------------------------
group("CN=Sales Team," + GROUPS, "Sales Team", 8, mail="sales.team@contoso.com", nick="SalesTeam",
      proxies=smtp("sales.team@contoso.com"), members=[NESTOR, ISAIAH, ZOE],
      extra=[("msExchRecipientTypeDetails", "256")],
      exp=E(match=M("soft-match-smtp", "cg_sales"), strict_match=PROVISION),
      comment=["Mail-enabled distribution group: soft-matches a cloud-only",
               "distribution list on SMTP. STRICT: list absent -> provision."])
group("CN=Finance Security," + GROUPS, "Finance Security", -2147483646, members=[PAT],
      comment=["Security group, not mail-enabled: in scope, never soft-matches",
               "-> provision."])
group("CN=IT Operations," + GROUPS, "IT Operations", -2147483640, mail="it.operations@contoso.com",
      nick="ITOperations", proxies=smtp("it.operations@contoso.com", "itops@contoso.com"),
      members=[ADELE, ALEX, CHRIS], extra=[("msExchRecipientTypeDetails", "1024")])
group("CN=Archive Readers," + GROUPS, "Archive Readers", 8, members=[MEGAN, LEE], scope="out",
      comment=["OUT OF SCOPE: distribution group that is not mail-enabled (no mail,",
               "no proxy). Not matched, not in skipped."])

# ---- contacts --------------------------------------------------------------------------------
contact("CN=Alex North (Northwind)," + CONTACTS, "Alex", "North", mail="alex.north@northwindtraders.com",
        exp=E(match=M("soft-match-smtp", "cc_northwind"), strict_match=PROVISION),
        comment=["Mail contact: soft-matches a cloud-only contact on SMTP (mail).",
                 "STRICT: that contact is absent -> provision."])
contact("CN=Type Mismatch Contact," + CONTACTS, "Type Mismatch", "Contact", mail="type.mismatch@contoso.com",
        exp=E([F("type-mismatch", "error", "mail",
                 "the SMTP candidate is a cloud USER (cloud-only mailbox), not a contact"),
               F("duplicate-proxy-address", "error", "mail",
                 "type.mismatch@contoso.com held by the unjoined cloud user")],
              match=M("blocked", "cu_typemismatch", "type-mismatch"),
              strict_findings=[], strict_match=PROVISION),
        comment=["DEFECT type-mismatch: a contact whose mail is the primary SMTP of a",
                 "cloud-only USER -> blocked type-mismatch (ObjectTypeMismatch) +",
                 "duplicate-proxy-address on mail. STRICT: user absent -> provision."])
contact("CN=Wingtip Studio," + CONTACTS, "Wingtip", "Studio", mail="studio@wingtip.app",
        comment=["TRAP: .app is an ICANN TLD -> no unroutable-domain (IdFix #96)."])
contact("CN=Rui Chen (Monash)," + CONTACTS, "Rui", "Chen", mail="r.chen@monash.edu.au",
        comment=["TRAP: .edu.au routes (the TLD au is ICANN) -> no unroutable-domain."])
contact("CN=Legacy Vendor," + CONTACTS, "Legacy", "Vendor", mail=None, scope="out",
        extra=[("telephoneNumber", "+1 425 555 0142")],
        comment=["OUT OF SCOPE: contact without mail. Not matched, not in skipped."])

# ============================================================ resource.ldif
container("res", R, ("top", "domain", "domainDNS"))
container("res", "OU=Linked Mailboxes," + R, ("top", "organizationalUnit"))
container("res", "OU=Resource Accounts," + R, ("top", "organizationalUnit"))
user("CN=Pat Morgan,OU=Linked Mailboxes," + R, "pmorgan", given="Pat", sn="Morgan", forest="res",
     upn="pat.morgan@contoso.com", mail="pat.morgan@contoso.com", nick="pat.morgan",
     proxies=["SMTP:pat.morgan@contoso.com", "X500:/o=ContosoRes/ou=Exchange Administrative Group "
              "(FYDIBOHF23SPDLT)/cn=Recipients/cn=pmorgan"], uac=514,
     extra=[("msExchRecipientTypeDetails", "2"), ("msExchMasterAccountSid", SIDS[PAT])],
     comment=["TRAP: linked mailbox of CN=Pat Morgan in contoso.ldif: disabled,",
              "msExchMasterAccountSid = that user's objectSid, same UPN and SMTP",
              "-> one person: no duplicate-upn / duplicate-proxy-address. Provision",
              "(like its account user: no cloud counterpart)."])
user("CN=Dup UPN B,OU=Resource Accounts," + R, "dupupnb", given="Dup", sn="UPN B", forest="res",
     upn="dup.upn@contoso.com", mail="dup.upn.b@contoso.com", nick="dup.upn.b",
     proxies=smtp("dup.upn.b@contoso.com"),
     exp=E([F("duplicate-upn", "error", "userPrincipalName",
              "dup.upn@contoso.com is also the UPN of Dup UPN A in contoso.com")]),
     comment=["DEFECT duplicate-upn: same UPN as CN=Dup UPN A in contoso.ldif."])
# the linked mailbox and the account user keep the default expectation (provision, no finding)


# ---------------------------------------------------------------- write LDIF
def write_ldif(path, forest, crlf, ldifde, header):
    nl = "\r\n" if crlf else "\n"
    lines = list(header) + [""]
    for o in OBJECTS:
        if o.forest != forest:
            continue
        if o.comment:
            lines += ["# " + c if c else "#" for c in o.comment]
        lines += attr_lines("dn", o.dn)
        if ldifde:
            lines.append("changetype: add")
        for n, v in o.attrs:
            lines += attr_lines(n, v)
        lines.append("")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(nl.join(lines))


write_ldif(os.path.join(HERE, "contoso.ldif"), "contoso", True, True, [
    "# contoso.ldif - account forest DC=contoso,DC=com (syncready example environment).",
    "# Exported on DC01 with: ldifde -f contoso.ldif -d \"DC=contoso,DC=com\"",
    "#   -r \"(|(objectClass=user)(objectClass=group)(objectClass=contact)",
    "#   (objectClass=organizationalUnit)(objectClass=container)(objectClass=domain))\"",
    "# Comments were added by hand before each defect or trap object; see README.md.",
    "# Generated by gen.py - edit gen.py, not this file.",
])
write_ldif(os.path.join(HERE, "resource.ldif"), "res", False, False, [
    "# resource.ldif - Exchange resource forest DC=res,DC=contoso,DC=net.",
    "# Exported with: ldapsearch -LLL -H ldaps://rdc01.res.contoso.net -b DC=res,DC=contoso,DC=net",
    "#   \"(|(objectClass=user)(objectClass=organizationalUnit)(objectClass=domain))\"",
    "# Comments were added by hand; see README.md. Generated by gen.py.",
])

# ---------------------------------------------------------------- cloud side
CLOUD = {}   # key -> dict with "kind" and Graph JSON (camelCase)
CLOUD_ORDER = []
STRICT_DROP = set()


def cloud(key, kind, obj, strict=True):
    obj = dict(obj)
    obj["id"] = new_id() if "id" not in obj else obj["id"]
    CLOUD[key] = {"kind": kind, "obj": obj}
    CLOUD_ORDER.append(key)
    if not strict:
        STRICT_DROP.add(key)
    return obj["id"]


def guser(key, display, upn, mail=None, proxies=(), immutable=None, synced=None, dn=None,
          user_type="Member", creation=None, enabled=True, nick=None, strict=True):
    return cloud(key, "user", {
        "id": new_id(),
        "displayName": display,
        "userPrincipalName": upn,
        "mail": mail,
        "mailNickname": nick if nick is not None else upn.split("@")[0],
        "proxyAddresses": list(proxies),
        "onPremisesImmutableId": immutable,
        "onPremisesSyncEnabled": synced,
        "onPremisesDistinguishedName": dn,
        "userType": user_type,
        "creationType": creation,
        "accountEnabled": enabled,
    }, strict)


def mbx(addr, *aliases):
    """Exchange Online addresses of a cloud mailbox: primary, aliases, the onmicrosoft alias."""
    local = addr.split("@")[0]
    return ["SMTP:" + addr] + ["smtp:" + a for a in aliases] + ["smtp:%s@contoso.onmicrosoft.com" % local]


def synced_user(key, dn, anchor_bytes):
    o = next(x for x in OBJECTS if x.dn == dn)
    upn = o.get("userPrincipalName")[0]
    mail = o.get("mail")[0]
    proxies = [p for p in o.get("proxyAddresses") if p.split(":", 1)[0].lower() in ("smtp", "sip", "x500")]
    proxies.append("smtp:%s@contoso.mail.onmicrosoft.com" % upn.split("@")[0])
    return guser(key, o.get("displayName")[0], upn, mail, proxies, immutable=b64(anchor_bytes), synced=True,
                 dn=dn, nick=o.get("mailNickname")[0])


# already synced by the pilot server (hard match targets)
synced_user("cu_adele", ADELE, CGUIDS[ADELE])
synced_user("cu_alex", ALEX, CGUIDS[ALEX])
synced_user("cu_megan", MEGAN, GUIDS[MEGAN])
synced_user("cu_lee", LEE, CGUIDS[LEE])
# cloud-only mailboxes created before sync (soft match)
guser("cu_nestor", "Nestor Wilke", "nestor.wilke@contoso.com", "nestor.wilke@contoso.com",
      mbx("nestor.wilke@contoso.com"))
guser("cu_isaiah", "Isaiah Langer", "isaiah.langer@contoso.com", "isaiah.langer@contoso.com",
      mbx("isaiah.langer@contoso.com"), strict=False)
guser("cu_johanna", "Johanna Lorenz", "johanna.lorenz@contoso.com", None, [])
guser("cu_eligible", "Eligible Admin", "eligible.admin@contoso.com", "eligible.admin@contoso.com",
      mbx("eligible.admin@contoso.com"), strict=False)
guser("cu_adminsoft", "Admin Soft Match (cloud admin)", "asm.admin@contoso.onmicrosoft.com",
      "admin.soft.match@contoso.com",
      ["SMTP:admin.soft.match@contoso.com", "smtp:asm.admin@contoso.onmicrosoft.com"], strict=False)
guser("cu_adminhard", "Admin Hard Match (cloud admin)", "ahm.admin@contoso.onmicrosoft.com", None, [],
      immutable=b64(GUIDS[ADMIN_HARD]), strict=False)
guser("cu_typemismatch", "Type Mismatch (cloud mailbox)", "type.mismatch@contoso.com",
      "type.mismatch@contoso.com", mbx("type.mismatch@contoso.com"), strict=False)
guser("cu_anchored", "Soft Match Anchored (Fabrikam)", "sma.fabrikam@contoso.onmicrosoft.com",
      "soft.match.anchored@contoso.com",
      ["SMTP:soft.match.anchored@contoso.com", "smtp:sma.fabrikam@contoso.onmicrosoft.com"],
      immutable=b64(new_guid_bytes()), synced=True,
      dn="CN=Soft Match Anchored,OU=Users,OU=Fabrikam,DC=fabrikam,DC=com", nick="sma.fabrikam", strict=False)
guser("cu_upnmismatch", "UPN Mismatch", "upn.mismatch@contoso.onmicrosoft.com", "upn.mismatch@contoso.com",
      ["SMTP:upn.mismatch@contoso.com", "smtp:upn.mismatch@contoso.onmicrosoft.com"], strict=False)
guser("cu_takeover", "Hard Match Takeover (pre-stamped)", "hmtakeover@contoso.onmicrosoft.com", None, [],
      immutable=b64(GUIDS[TAKEOVER]))
guser("cu_info", "Info", "info@contoso.com", "info@contoso.com", mbx("info@contoso.com"), enabled=False)
guser("cu_breakglass", "Break Glass Admin", "breakglass@contoso.onmicrosoft.com", None, [])
guser("cu_syncacct", "On-Premises Directory Synchronization Service Account",
      "Sync_OLDSYNC01_3b9e1f7c2a4d@contoso.onmicrosoft.com", None, [])
guser("cu_kaito", "Kaito Tanaka", "kaito.tanaka@contoso.com", "kaito.tanaka@contoso.com",
      mbx("kaito.tanaka@contoso.com"))
guser("cu_room", "Harbour View (Room)", "harbourview@contoso.com", "harbourview@contoso.com",
      mbx("harbourview@contoso.com"), enabled=False)
guser("cu_guest", "Megan Partner (Fabrikam)", "megan.partner_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      "megan.partner@fabrikam.com", ["SMTP:megan.partner@fabrikam.com"], user_type="Guest",
      creation="Invitation", nick="megan.partner_fabrikam.com#EXT#")


def ggroup(key, display, mail=None, mail_enabled=False, security=True, nick=None, types=(), proxies=(),
           synced=None, assignable=None, strict=True):
    return cloud(key, "group", {
        "id": new_id(), "displayName": display, "mail": mail, "mailEnabled": mail_enabled,
        "securityEnabled": security, "mailNickname": nick, "groupTypes": list(types),
        "proxyAddresses": list(proxies), "onPremisesSyncEnabled": synced, "isAssignableToRole": assignable,
    }, strict)


ggroup("cg_sales", "Sales Team", "sales.team@contoso.com", True, False, "SalesTeam", [],
       ["SMTP:sales.team@contoso.com", "smtp:SalesTeam@contoso.onmicrosoft.com"], strict=False)
ggroup("cg_tier0", "Tier 0 Admins", None, False, True, "tier0admins", [], [], assignable=True)
ggroup("cg_falcon", "Project Falcon", "projectfalcon@contoso.com", True, False, "projectfalcon", ["Unified"],
       ["SMTP:projectfalcon@contoso.com", "smtp:projectfalcon@contoso.onmicrosoft.com",
        "SPO:SPO_3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c@SPO_" + TENANT_ID])
ggroup("cg_allusers", "All Employees (dynamic)", None, False, True, "allemployees", ["DynamicMembership"], [])


def gcontact(key, display, given, sn, mail, nick, strict=True):
    return cloud(key, "contact", {"id": new_id(), "displayName": display, "givenName": given, "surname": sn,
                                  "mail": mail, "mailNickname": nick, "proxyAddresses": ["SMTP:" + mail],
                                  "onPremisesSyncEnabled": None}, strict)


gcontact("cc_northwind", "Alex North (Northwind)", "Alex", "North", "alex.north@northwindtraders.com",
         "alexnorth", strict=False)
gcontact("cc_tailspin", "Tailspin Toys Support", "Tailspin", "Support", "support@tailspintoys.com",
         "tailspinsupport")
gcontact("cc_litware", "Litware Billing", "Litware", "Billing", "billing@litwareinc.com", "litwarebilling")

CID = {k: v["obj"]["id"] for k, v in CLOUD.items()}

ROLES = {
    "Global Administrator": ("62e90394-69f5-4237-9190-012177145e10",
                             "Can manage all aspects of Microsoft Entra ID and Microsoft services that use "
                             "Microsoft Entra identities.", ["microsoft.directory/*/allTasks"]),
    "Exchange Administrator": ("29232cdf-9323-42fd-ade2-1d097af3e4de",
                               "Can manage all aspects of the Exchange product.",
                               ["microsoft.office365.exchange/allEntities/basic/allTasks"]),
    "Privileged Role Administrator": ("e8611ab8-c189-46e8-94e1-60213ab1f814",
                                      "Can manage role assignments in Microsoft Entra ID, and all aspects "
                                      "of Privileged Identity Management.",
                                      ["microsoft.directory/roleAssignments/allProperties/allTasks"]),
    "Helpdesk Administrator": ("729827e3-9c14-49f7-bb1b-9608f156bbb8",
                               "Can reset passwords for non-administrators and Helpdesk Administrators.",
                               ["microsoft.directory/users/password/update"]),
    "Directory Synchronization Accounts": ("d29b2b05-8046-44ba-8758-1e26182fcf32",
                                           "Only used by Microsoft Entra Connect service.",
                                           ["microsoft.directory/organization/dirSync/update"]),
    "User Administrator": ("fe930be7-5e62-47db-91af-98c3a49a38b1",
                           "Can manage all aspects of users and groups, including resetting passwords "
                           "for limited admins.", ["microsoft.directory/users/allProperties/allTasks"]),
    "Reports Reader": ("4a5d8f65-41da-4de4-8968-e035b65339cf",
                       "Can read sign-in and audit reports.", ["microsoft.directory/auditLogs/allProperties/read"]),
}


def role_def(name):
    rid, desc, actions = ROLES[name]
    return {"id": rid, "description": desc, "displayName": name, "isBuiltIn": True, "isEnabled": True,
            "resourceScopes": ["/"], "templateId": rid, "version": "1",
            "rolePermissions": [{"allowedResourceActions": actions, "condition": None}],
            "inheritsPermissionsFrom": []}


def assignment(role, principal_key):
    rid = ROLES[role][0]
    pid = CID[principal_key]
    aid = base64.urlsafe_b64encode(uuid.UUID(rid).bytes_le + uuid.UUID(pid).bytes_le).decode().rstrip("=") + "-1"
    return {"id": aid, "principalId": pid, "directoryScopeId": "/", "roleDefinitionId": rid,
            "roleDefinition": role_def(role)}


ASSIGNMENTS = [
    ("Global Administrator", "cu_breakglass"),
    ("Directory Synchronization Accounts", "cu_syncacct"),
    ("Helpdesk Administrator", "cu_adele"),
    ("Exchange Administrator", "cu_adminhard"),
    ("Privileged Role Administrator", "cg_tier0"),
]
TIER0_MEMBERS = ["cu_adminsoft", "cu_breakglass"]
ELIGIBLE = [("User Administrator", "cu_eligible"), ("Reports Reader", "cu_kaito")]


def eligibility(role, principal_key):
    rid = ROLES[role][0]
    return {"id": new_id(), "principalId": CID[principal_key], "directoryScopeId": "/", "appScopeId": None,
            "roleDefinitionId": rid, "createdUsing": None, "createdDateTime": "2025-11-04T09:12:37.443Z",
            "modifiedDateTime": None, "status": "Provisioned", "memberType": "Direct",
            "scheduleInfo": {"startDateTime": "2025-11-04T09:12:37.443Z", "recurrence": None,
                             "expiration": {"type": "noExpiration", "endDateTime": None, "duration": None}},
            "roleDefinition": role_def(role)}


DELETED = [
    {"id": None, "upn": "sdc.old@contoso.com", "mail": "soft.deleted.conflict@contoso.com",
     "proxies": ["SMTP:soft.deleted.conflict@contoso.com", "smtp:sdc.old@contoso.onmicrosoft.com"]},
    {"id": None, "upn": "intern2025@contoso.com", "mail": "intern2025@contoso.com",
     "proxies": ["SMTP:intern2025@contoso.com", "smtp:intern2025@contoso.onmicrosoft.com"]},
]
for d in DELETED:
    d["id"] = new_id()

G = "https://graph.microsoft.com/v1.0/$metadata#"
USER_SELECT = ("id,displayName,userPrincipalName,mail,mailNickname,proxyAddresses,onPremisesImmutableId,"
               "onPremisesSyncEnabled,onPremisesDistinguishedName,userType,creationType,accountEnabled")
GROUP_SELECT = ("id,displayName,mail,mailEnabled,securityEnabled,mailNickname,groupTypes,proxyAddresses,"
                "onPremisesSyncEnabled,isAssignableToRole")


def dump(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")


def pascal_contact(o):
    # what `Get-MgContact -All -Property ... | ConvertTo-Json -Depth 5` (PowerShell 7) writes
    return {
        "Addresses": [], "CompanyName": None, "DeletedDateTime": None, "Department": None,
        "DirectReports": None, "DisplayName": o["displayName"], "GivenName": o["givenName"],
        "Id": o["id"], "JobTitle": None, "Mail": o["mail"], "MailNickname": o["mailNickname"],
        "Manager": None, "MemberOf": None, "OnPremisesLastSyncDateTime": None,
        "OnPremisesProvisioningErrors": [], "OnPremisesSyncEnabled": o["onPremisesSyncEnabled"],
        "Phones": [], "ProxyAddresses": o["proxyAddresses"], "Surname": o["surname"],
        "TransitiveMemberOf": None, "AdditionalProperties": {},
    }


def write_graph(dirname, strict):
    d = os.path.join(HERE, dirname)
    if os.path.isdir(d):
        shutil.rmtree(d)
    keep = [k for k in CLOUD_ORDER if not (strict and k in STRICT_DROP)]
    users = [CLOUD[k]["obj"] for k in keep if CLOUD[k]["kind"] == "user"]
    groups = [CLOUD[k]["obj"] for k in keep if CLOUD[k]["kind"] == "group"]
    contacts = [CLOUD[k]["obj"] for k in keep if CLOUD[k]["kind"] == "contact"]
    dump(os.path.join(d, "users.json"), {"@odata.context": G + "users(%s)" % USER_SELECT, "value": users})
    dump(os.path.join(d, "groups.json"), {"@odata.context": G + "groups(%s)" % GROUP_SELECT, "value": groups})
    dump(os.path.join(d, "contacts.json"), [pascal_contact(c) for c in contacts])
    assigns = [assignment(r, p) for r, p in ASSIGNMENTS if p in keep]
    dump(os.path.join(d, "roleAssignments.json"),
         {"@odata.context": G + "roleManagement/directory/roleAssignments(roleDefinition())", "value": assigns})
    for r, p in ASSIGNMENTS:
        if p in keep and CLOUD[p]["kind"] == "group":
            members = [{"@odata.type": "#microsoft.graph.user", "id": CID[m]} for m in TIER0_MEMBERS if m in keep]
            dump(os.path.join(d, "roleGroupMembers", CID[p] + ".json"),
                 {"@odata.context": G + "directoryObjects(id)", "value": members})
    dump(os.path.join(d, "roleEligibilitySchedules.json"),
         {"@odata.context": G + "roleManagement/directory/roleEligibilitySchedules(roleDefinition())",
          "value": [eligibility(r, p) for r, p in ELIGIBLE if p in keep]})
    doms = [
        ("contoso.com", True, True, False, ["Email", "OfficeCommunicationsOnline", "Intune"]),
        ("contoso.onmicrosoft.com", True, False, True, ["Email", "OfficeCommunicationsOnline"]),
        ("contoso.mail.onmicrosoft.com", True, False, False, ["Email"]),
        ("fabrikam.com", False, False, False, []),
    ]
    dump(os.path.join(d, "domains.json"), {"@odata.context": G + "domains", "value": [
        {"authenticationType": "Managed", "availabilityStatus": None, "id": name, "isAdminManaged": True,
         "isDefault": default, "isInitial": initial, "isRoot": not name.endswith(".mail.onmicrosoft.com"),
         "isVerified": verified, "passwordNotificationWindowInDays": 14,
         "passwordValidityPeriodInDays": 2147483647, "supportedServices": services, "state": None}
        for name, verified, default, initial, services in doms]})
    dump(os.path.join(d, "organization.json"), {
        "@odata.context": G + "organization(id,displayName,verifiedDomains)",
        "value": [{"id": TENANT_ID, "displayName": "Contoso Ltd", "verifiedDomains": [
            {"capabilities": "Email, OfficeCommunicationsOnline, Intune", "isDefault": True, "isInitial": False,
             "name": "contoso.com", "type": "Managed"},
            {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": False, "isInitial": True,
             "name": "contoso.onmicrosoft.com", "type": "Managed"},
            {"capabilities": "Email", "isDefault": False, "isInitial": False,
             "name": "contoso.mail.onmicrosoft.com", "type": "Managed"}]}]})
    dump(os.path.join(d, "onPremisesSynchronization.json"), {
        "@odata.context": G + "directory/onPremisesSynchronization",
        "value": [{"id": TENANT_ID,
                   "configuration": {"accidentalDeletionPrevention": {
                       "synchronizationPreventionType": "enabledForCount", "alertThreshold": 500},
                       "synchronizationInterval": "PT30M", "customerRequestedSynchronizationInterval": None},
                   "features": {
                       "blockCloudObjectTakeoverThroughHardMatchEnabled": strict,
                       "blockSoftMatchEnabled": strict,
                       "bypassDirSyncOverridesEnabled": False,
                       "cloudPasswordPolicyForPasswordSyncedUsersEnabled": False,
                       "concurrentCredentialUpdateEnabled": False,
                       "concurrentOrgIdProvisioningEnabled": True,
                       "deviceWritebackEnabled": False,
                       "directoryExtensionsEnabled": False,
                       "fopeConflictResolutionEnabled": False,
                       "groupWriteBackEnabled": False,
                       "passwordSyncEnabled": True,
                       "passwordWritebackEnabled": False,
                       "quarantineUponProxyAddressesConflictEnabled": True,
                       "quarantineUponUpnConflictEnabled": True,
                       "softMatchOnUpnEnabled": True,
                       "synchronizeUpnForManagedUsersEnabled": True,
                       "unifiedGroupWritebackEnabled": False,
                       "userForcePasswordChangeOnLogonEnabled": False,
                       "userWritebackEnabled": False}}]})
    dump(os.path.join(d, "deletedUsers.json"), {
        "@odata.context": G + "directoryObjects/microsoft.graph.user"
                              "(id,userPrincipalName,mail,proxyAddresses,onPremisesImmutableId)",
        "value": [{"id": x["id"], "userPrincipalName": x["id"].replace("-", "") + x["upn"], "mail": x["mail"],
                   "proxyAddresses": x["proxies"], "onPremisesImmutableId": None} for x in DELETED]})


write_graph("graph", False)
write_graph("graph-strict", True)


# ---------------------------------------------------------------- expectations
def write_expected(name, variant, strict):
    findings, matches, skipped = [], [], []
    for o in OBJECTS:
        if o.scope == "skipped":
            skipped.append(o.dn)
            continue
        if o.scope != "in":
            continue
        exp = (o.exp or E())[variant]
        for rule, sev, attr, why in exp["findings"]:
            findings.append({"rule": rule, "severity": sev, "side": "onprem", "object": o.dn,
                             "attribute": attr, "why": why})
        outcome, reason, ckey = exp["match"]
        if ckey is not None and strict and ckey in STRICT_DROP:
            raise SystemExit("strict expectation of %s points at dropped %s" % (o.dn, ckey))
        matches.append({"onprem": o.dn, "outcome": outcome, "reason": reason,
                        "cloud": CID[ckey] if ckey else None})
    dump(os.path.join(HERE, name), {
        "scan": "syncready scan --ldif contoso.ldif --ldif resource.ldif --graph-dir %s" % (
            "graph-strict" if strict else "graph"),
        "findings": findings, "matches": matches, "skipped": skipped})


write_expected("expected.json", "main", False)
write_expected("expected-strict.json", "strict", True)
print("ok: %d LDIF records, %d cloud objects" % (len(OBJECTS), len(CLOUD)))

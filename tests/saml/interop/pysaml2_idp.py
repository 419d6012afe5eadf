#!/usr/bin/python3
"""A minimal IdP built on pysaml2 (Debian's python3-pysaml2): prints one SAML Response on stdout.

Run it with /usr/bin/python3: Debian's python3-* packages are not visible to other interpreters
(e.g. a pyenv python3 earlier on PATH). Signing goes through pysaml2's xmlsec1 back end with the key
and certificate given. Every choice an IdP admin makes is an option, so the tests can ask for the
misconfigurations the validator must name (wrong audience, Recipient = ACS URL, ...).

Batch mode (one interpreter start for many responses): --batch reads {"name": {options}} as JSON on
stdin, with the option names below spelled with '_', and prints {"name": "<Response XML>"}.

Example:
  /usr/bin/python3 pysaml2_idp.py --key k.pem --cert c.pem --idp-entity-id https://idp.test/md \
      --sp-entity-id sp.test --acs-url http://127.0.0.1:8765/saml/acs --in-response-to _req1 \
      --recipient https://uaa.test/oauth/token/alias/sp.test --name-id alice@example.test
"""
import argparse
import json
import sys


def sp_metadata(entity_id, acs_url):
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      AuthnRequestsSigned="false" WantAssertionsSigned="true">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="{acs_url}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""


DEFAULTS = {
    "metadata_sp_entity_id": None,
    "recipient": None,
    "sign_response": False,
    "no_sign_assertion": False,
    "sign_alg": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "digest_alg": "http://www.w3.org/2001/04/xmlenc#sha256",
    "lifetime_minutes": 5,
    "xmlsec1": "/usr/bin/xmlsec1",
}


def make_response(a):
    """One Response for the options in `a` (a dict with the long option names, '_' for '-')."""
    from saml2 import saml, BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NameID, NAMEID_FORMAT_EMAILADDRESS
    from saml2.server import Server

    o = dict(DEFAULTS)
    o.update(a)
    md_sp = o["metadata_sp_entity_id"] or o["sp_entity_id"]
    config = {
        "entityid": o["idp_entity_id"],
        "xmlsec_binary": o["xmlsec1"],
        "key_file": o["key"],
        "cert_file": o["cert"],
        "metadata": {"inline": [sp_metadata(md_sp, o["acs_url"])]},
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(o["idp_entity_id"] + "/sso", BINDING_HTTP_REDIRECT)],
                },
                "policy": {
                    "default": {
                        "lifetime": {"minutes": o["lifetime_minutes"]},
                        "attribute_restrictions": None,
                        "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                    },
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
            },
        },
        "debug": 0,
    }
    cfg = IdPConfig()
    cfg.load(config)
    idp = Server(config=cfg)

    farg = None
    if o["recipient"]:
        # The override IdP admins must set: the saml2-bearer grant wants the token alias URL here.
        farg = {
            "assertion": {
                "subject": {
                    "subject_confirmation": {
                        "method": saml.SCM_BEARER,
                        "subject_confirmation_data": {
                            "in_response_to": o["in_response_to"],
                            "recipient": o["recipient"],
                        },
                    },
                },
            },
        }
    response = idp.create_authn_response(
        identity={"eduPersonAffiliation": ["member", "staff"], "mail": [o["name_id"]]},
        in_response_to=o["in_response_to"],
        destination=o["acs_url"],
        sp_entity_id=o["sp_entity_id"],
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=o["name_id"]),
        authn={
            "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            "authn_auth": o["idp_entity_id"],
        },
        sign_response=o["sign_response"],
        sign_assertion=not o["no_sign_assertion"],
        sign_alg=o["sign_alg"],
        digest_alg=o["digest_alg"],
        farg=farg,
    )
    return str(response)


def main():
    if sys.argv[1:] == ["--batch"]:
        # stdin: {"name": {options...}, ...}; stdout: {"name": "<xml>", ...}. One interpreter start for all.
        requests = json.load(sys.stdin)
        json.dump({name: make_response(opts) for name, opts in requests.items()}, sys.stdout)
        return
    p = argparse.ArgumentParser()
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--idp-entity-id", required=True)
    p.add_argument("--sp-entity-id", required=True, help="the SP the response is for (Audience)")
    p.add_argument("--metadata-sp-entity-id", help="SP entity ID in the IdP's SP metadata")
    p.add_argument("--acs-url", required=True, help="where the response is posted (Destination)")
    p.add_argument("--in-response-to", required=True)
    p.add_argument("--recipient", help="SubjectConfirmationData Recipient; default: pysaml2's (the ACS URL)")
    p.add_argument("--name-id", required=True)
    p.add_argument("--sign-response", action="store_true")
    p.add_argument("--no-sign-assertion", action="store_true")
    p.add_argument("--sign-alg", default=DEFAULTS["sign_alg"])
    p.add_argument("--digest-alg", default=DEFAULTS["digest_alg"])
    p.add_argument("--lifetime-minutes", type=int, default=5)
    p.add_argument("--xmlsec1", default=DEFAULTS["xmlsec1"])
    sys.stdout.write(make_response(vars(p.parse_args())))


if __name__ == "__main__":
    main()

"""A software authenticator for the passkey tests: an EC P-256 key that answers the
server's WebAuthn options as a browser and a platform authenticator together would,
building every byte itself (a "none" attestation object in CBOR, clientDataJSON,
authenticatorData with the RP ID hash, flags and sign counter, an ECDSA signature over
authenticatorData || SHA-256(clientDataJSON)), so the server's checks are tried for real."""

from __future__ import annotations

import hashlib
import json
import os
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# authenticatorData flags: user present, user verified, attested credential data included.
UP, UV, AT = 0x01, 0x04, 0x40
ORIGIN = "http://testserver"  # what Django's test client is
RP_ID = "testserver"


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftwareAuthenticator:
    """One passkey: its private key, credential id and sign counter."""

    def __init__(self, *, rp_id: str = RP_ID, origin: str = ORIGIN) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.rp_id = rp_id
        self.origin = origin

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        # kty EC2, alg ES256, crv P-256, x, y
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _authenticator_data(self, *, flags: int, rp_id: str, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + self.sign_count.to_bytes(4, "big")
        if attested:
            cid = self.credential_id
            data += bytes(16) + len(cid).to_bytes(2, "big") + cid + self.cose_public_key()
        return data

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        body = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(body).encode()

    def register(self, options: str | dict[str, Any], *, origin: str | None = None, challenge: str | None = None) -> str:
        """The JSON the browser posts back after navigator.credentials.create(options)."""
        options = json.loads(options) if isinstance(options, str) else options
        client_data = self._client_data("webauthn.create", challenge or options["challenge"], origin)
        auth_data = self._authenticator_data(flags=UP | UV | AT, rp_id=options["rp"]["id"], attested=True)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": b64url(self.credential_id),
                "rawId": b64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["internal"],
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )

    def assertion(
        self,
        options: str | dict[str, Any],
        *,
        origin: str | None = None,
        challenge: str | None = None,
        count: int | None = None,
    ) -> str:
        """The JSON the browser posts back after navigator.credentials.get(options); the
        counter goes up by one unless `count` says what to send (a cloned authenticator)."""
        options = json.loads(options) if isinstance(options, str) else options
        self.sign_count = self.sign_count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        auth_data = self._authenticator_data(flags=UP | UV, rp_id=options.get("rpId", self.rp_id), attested=False)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": b64url(self.credential_id),
                "rawId": b64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )

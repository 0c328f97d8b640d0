#!/usr/bin/env python3
# Verifies a Pipegate token with independent libraries given only the JWKS URL (Debian python3-jwcrypto, python3-jwt).
# Usage: jwt-verify.py JWKS_URL TOKEN ISSUER AUDIENCE  -> prints one JSON line {"jwcrypto": ..., "pyjwt": ...}
import json
import sys
import urllib.request

jwks_url, token, issuer, audience = sys.argv[1:5]
out = {}

try:
    from jwcrypto import jwk, jwt as jwcrypto_jwt
    with urllib.request.urlopen(jwks_url, timeout=10) as resp:
        keyset = jwk.JWKSet.from_json(resp.read().decode('utf-8'))
    t = jwcrypto_jwt.JWT(jwt=token, key=keyset, algs=['ES256', 'EdDSA', 'RS256', 'PS256'],
                         check_claims={'iss': issuer, 'aud': audience, 'exp': None})
    header = json.loads(t.header)
    out['jwcrypto'] = {'ok': True, 'claims': json.loads(t.claims), 'typ': header.get('typ'), 'kid': header.get('kid')}
except Exception as err:  # noqa: BLE001 - report any failure as data
    out['jwcrypto'] = {'ok': False, 'error': type(err).__name__ + ': ' + str(err)}

try:
    import jwt as pyjwt
    client = pyjwt.PyJWKClient(jwks_url)
    signing_key = client.get_signing_key_from_jwt(token)
    claims = pyjwt.decode(token, signing_key.key, algorithms=['ES256', 'EdDSA', 'RS256', 'PS256'],
                          audience=audience, issuer=issuer, options={'require': ['exp', 'iat', 'iss', 'aud', 'sub', 'jti']})
    out['pyjwt'] = {'ok': True, 'claims': claims}
except Exception as err:  # noqa: BLE001
    out['pyjwt'] = {'ok': False, 'error': type(err).__name__ + ': ' + str(err)}

print(json.dumps(out))

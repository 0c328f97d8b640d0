// The files `pipegate init` writes: a project that `pipegate serve` runs at once (the JWT login flow).

const CONFIG = `# Pipegate configuration (docs/configuration.md). \`pipegate config show\` prints what is in effect.
# PIPEGATE_* environment variables override these values and serve flags override both.
# Secrets never go here: keep them in accounts (pipegate accounts add) and PIPEGATE_MASTER_KEY.
# Editors: \`pipegate schema --config > pipegate.schema.json\` gives the JSON Schema of this file.
realm: local
environment: test
pipelines: [pipelines]
listeners:
  main:
    host: 127.0.0.1
    port: 8080
store:
  dataDir: .pipegate
tokenPolicy:
  defaultLifetimeMs: 900000       # 15 minutes when a jwt step gives no expirationMs
  maxTokenLifetimeMs: 86400000    # 24 hours at most
  signingAlgorithm: ES256
  leewaySec: 30
  sensitiveFields: []             # names never allowed in a token, besides the built-in list
`;

const LOGIN = `# Login: an API-key consumer exchanges user facts for a short-lived platform JWT.
name: auth-login
version: "1.0"
description: Issues a short-lived JWT to an API-key consumer.
sensitiveFields: [password]
trigger:
  type: rest
  methods: [POST]
  routes: [/auth]
  removePrefix: true
  auth: { apiKey: true }
steps:
  - type: transformer-jsonata
    alias: extract
    expression: '{ "userID": body.userID, "role": body.role }'
  - type: session-management
    operation: put
    fields: [userID, role]
  # Drop everything else (headers, body, the password): the whole message becomes token claims.
  - type: json-generator
    json: {}
  - type: session-management
    operation: get
    fields: [userID, role]
  - type: jwt
    operation: generate
    scopes: '{{ IF(EQUALTO(message.role, "admin"), "read,write", "read") }}'
  - type: log
    level: INFO
    message: "token issued for {{ step.extract.userID }} in execution {{ metadata.execution.key }}"
`;

const PROTECTED = `# A protected service: only callers holding a valid token with the read scope get through.
name: protected-resource
version: "1.0"
description: Returns data to callers holding a token with the read scope.
trigger:
  type: rest
  methods: [GET]
  routes: [/protected-resource]
  removePrefix: true
  auth: { jwt: true, scopes: [read] }
steps:
  - type: json-generator
    json:
      message: "Hello {{ metadata.auth.claims.userID }}, this resource is protected."
      consumer: "{{ metadata.auth.consumer }}"
      scopes: "{{ metadata.auth.scopes }}"
`;

const LOGOUT = `# Logout: revokes the presented token; it is refused on the next request.
name: auth-logout
version: "1.0"
description: Revokes the caller's token.
trigger:
  type: rest
  methods: [POST]
  routes: [/logout]
  removePrefix: true
  auth: { jwt: true }
steps:
  - type: jwt
    operation: revoke
  - type: json-generator
    json: { status: "logged out" }
`;

const GITIGNORE = `# Pipegate's embedded store: the SQLite database and the master key (never commit them).
.pipegate/
`;

function readme(name: string): string {
  return `# ${name}

A Pipegate project: pipelines in \`pipelines/\`, server settings in \`pipegate.yaml\`.

\`\`\`bash
pipegate serve                                    # deploys pipelines/ and serves on 127.0.0.1:8080
pipegate consumers create my-app --scopes read    # in another shell: prints the API key once
export APIKEY='<the printed key>'

TOKEN=$(curl -s -D - -o /dev/null -X POST http://127.0.0.1:8080/auth -H "apikey: $APIKEY" \\
  -H 'Content-Type: application/json' -d '{"userID":"u-1","role":"viewer"}' \\
  | tr -d '\\r' | sed -n 's/^[Aa]uthorization: Bearer //p')
curl -s http://127.0.0.1:8080/protected-resource -H "Authorization: Bearer $TOKEN"
curl -s -X POST http://127.0.0.1:8080/logout -H "Authorization: Bearer $TOKEN"
\`\`\`

\`pipegate config show\` prints the effective configuration; \`pipegate validate pipelines/*.yaml\`
checks the pipelines without running them. The embedded store lives in \`.pipegate/\` (ignored by git).
`;
}

/** Path (relative to the project folder) → content. */
export function projectFiles(name: string): ReadonlyMap<string, string> {
  return new Map([
    ['pipegate.yaml', CONFIG],
    ['pipelines/auth-login.yaml', LOGIN],
    ['pipelines/protected-resource.yaml', PROTECTED],
    ['pipelines/auth-logout.yaml', LOGOUT],
    ['.gitignore', GITIGNORE],
    ['README.md', readme(name)],
  ]);
}

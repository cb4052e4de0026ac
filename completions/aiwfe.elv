
use builtin;
use str;

set edit:completion:arg-completer[aiwfe] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aiwfe'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aiwfe'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand doctor 'Run every probe in parallel and report what is wrong and how to fix it'
            cand probe 'Run one probe'
            cand completions 'Print a shell completion script, or write all of them with --dir'
            cand man 'Print the man page, or write one per command with --dir'
            cand snapshot 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
            cand rbac 'Print the least-privilege RBAC objects a mode needs'
            cand proxy 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay'
            cand fix 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)'
            cand playbook 'List, show or run the playbooks behind `fix`, and your own'
            cand tune 'Right-size what runs: autoscale Deployments with HPAs'
            cand history 'List the journaled runs of fix and playbook, newest last'
            cand rollback 'Restore what a journaled run changed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;doctor'= {
            cand --redis 'Redis to check, e.g. redis://:PASSWORD@redis:6379/0'
            cand --postgres 'PostgreSQL to check, e.g. postgres://USER:PASSWORD@db/aiwfe'
            cand --ws 'WebSocket endpoint to check, e.g. wss://app.example.com/ws (token from aiwfe.yaml `ws:` or AIWFE_WS_TOKEN)'
            cand --only 'Run only these probes (comma-separated: redis,postgres,ws,kube)'
            cand --skip 'Skip these probes (comma-separated)'
            cand --snapshot 'Read Kubernetes objects from a file or folder (`kubectl get ... -o yaml`, `aiwfe snapshot`, also `.gz`) instead of a cluster'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
            cand ws 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;probe;redis'= {
            cand --pings 'Number of PINGs for the latency figures'
            cand --cacert 'Trust the CA(s) in this PEM file for rediss:// instead of the system''s'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;postgres'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;kube'= {
            cand --snapshot 'Read Kubernetes objects from a file or folder instead of a cluster'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;ws'= {
            cand --token 'Bearer token (visible in the process list: prefer --token-env or --token-file)'
            cand --token-env 'Read the token from this environment variable'
            cand --token-file 'Read the token from this file'
            cand --token-in 'Where the token goes [default: header]'
            cand --subprotocol 'Subprotocol to offer in Sec-WebSocket-Protocol (repeatable)'
            cand -H 'Extra request header, e.g. ''Origin: https://app.example.com'' (repeatable)'
            cand --header 'Extra request header, e.g. ''Origin: https://app.example.com'' (repeatable)'
            cand -n 'Total connections to open [default: 1]'
            cand --connections 'Total connections to open [default: 1]'
            cand -c 'How many connections are open at once [default: 1]'
            cand --concurrency 'How many connections are open at once [default: 1]'
            cand --send 'Text message to send once the connection is open (e.g. an in-band auth message)'
            cand --expect 'Wait for a message containing TEXT; the time from --send to it is the first round-trip'
            cand --ping 'Ping/pong round trips per connection, for the RTT figures'
            cand --cacert 'Trust the CA(s) in this PEM file for wss:// instead of the system''s'
            cand --compare 'Run the same workload against this endpoint too and show both with per-phase ratios'
            cand --hold 'Keep each connection open this long after the handshake, e.g. 30s (load generation)'
            cand --rate 'While holding, messages per second each connection sends [default: 0]'
            cand --size 'Size in bytes of each message sent while holding [default: 64]'
            cand --warn-after 'Warn when the handshake p95 (DNS to 101, plus --send/--expect) is at least this [default: 1s]'
            cand --error-after 'Error when the handshake p95 is at least this [default: 30s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand -k 'Do not verify the server certificate (testing only)'
            cand --insecure 'Do not verify the server certificate (testing only)'
            cand --await-echo 'While holding, send one message, wait for its echo, send the next (closed loop; round-trip percentiles and messages per second)'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;help'= {
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
            cand ws 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;probe;help;redis'= {
        }
        &'aiwfe;probe;help;postgres'= {
        }
        &'aiwfe;probe;help;kube'= {
        }
        &'aiwfe;probe;help;ws'= {
        }
        &'aiwfe;probe;help;help'= {
        }
        &'aiwfe;completions'= {
            cand --dir 'Write the scripts for every shell into DIR instead'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;man'= {
            cand --dir 'Write aiwfe.1 and one page per subcommand (aiwfe-doctor.1, ...) into DIR instead'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;snapshot'= {
            cand --to 'Write to FILE instead of stdout; `.json` writes JSON, `.gz` compresses (`cluster.json.gz`)'
            cand --format 'yaml or json [default: from --to''s extension, else yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;rbac'= {
            cand --for 'The mode to grant'
            cand --service-account-namespace 'Namespace of the ServiceAccount bound to the role'
            cand -n 'With --for fix: the namespace fix may write in'
            cand --namespace 'With --for fix: the namespace fix may write in'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;proxy'= {
            cand --listen 'Address to listen on [default: 0.0.0.0:8080]'
            cand --upstream 'Upstream WebSocket server, ws://HOST:PORT or wss://HOST:PORT (the request''s path and query are kept) [or `proxy.upstream` in aiwfe.yaml]'
            cand --jwt-secret-file 'Verify HS256/384/512 tokens with the secret in FILE'
            cand --jwt-public-key 'Verify RS*/PS*/ES*/EdDSA tokens with the PEM public key in FILE'
            cand --jwks-url 'Verify tokens with the keys of the JSON Web Key Set at URL (https://, or http:// to localhost), fetched before listening; a token''s `kid` selects the key'
            cand --jwks-cacert 'Verify the JWKS server with the CA certificates in FILE instead of the system''s'
            cand --jwks-refresh 'Fetch the JWKS again this often [default: 5m]'
            cand --jwks-min-refresh 'A token with an unknown `kid` fetches the JWKS at most this often [default: 30s]'
            cand --algorithm 'The one algorithm the key is used with [default: HS256, RS256, ES256 or EdDSA by key type]; with --jwks-url, the algorithms keys may have (comma-separated) [default: the JWK''s `alg`, else by key type]'
            cand --issuer 'Require this `iss` claim'
            cand --audience 'Require this `aud` claim'
            cand --leeway 'Clock skew allowed on `exp` and `nbf`, e.g. 30s or 0 [default: 30s]'
            cand --token-from 'Where to look for the token, in order (comma-separated) [default: header,query,cookie,subprotocol]'
            cand --cache-size 'Most verified tokens kept in the cache [default: 100000]'
            cand --cache-ttl 'Longest a verified token stays cached (never past its `exp`) [default: 5m]'
            cand --drain 'On SIGTERM/SIGINT, how long to wait for connections to close [default: 10s]'
            cand --upstream-cacert 'CA certificates (PEM) for a wss:// upstream [default: the system''s]'
            cand --ping-interval 'Ping a client that has sent nothing for this long; 0: never [default: 20s]'
            cand --ping-timeout 'A pinged client that stays silent this long is closed (1011) [default: 10s]'
            cand --close-timeout 'How long to wait for the other side''s close frame [default: 5s]'
            cand --forward-claims 'Pass these claims to the upstream as X-Auth-Claim-<name> headers (comma-separated)'
            cand --revocation-redis 'Refuse tokens whose `jti` is in a Redis set: redis://[USER:PASSWORD@]HOST[:PORT][/DB]'
            cand --revocation-set 'The Redis set of revoked `jti` values [default: aiwfe:revoked-jti]'
            cand --revocation-ttl 'How long a revocation answer is cached (how soon a revocation takes effect) [default: 10s]'
            cand --max-message 'Largest message either way, e.g. 1MiB or 65536; larger ones close with 1009 [default: 1MiB]'
            cand --max-connections 'Most proxied connections at once; beyond, upgrades get 503 with Retry-After [default: half the open-file limit, less a reserve]'
            cand --header-timeout 'Close a connection whose request headers have not come within this long [default: 10s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --revocation-fail-open 'Let tokens pass when Redis cannot answer [default: refuse with 503]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;fix'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand redis-auth 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
            cand affinity 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;fix;redis-auth'= {
            cand --secret 'The Secret the consumers read the Redis password from'
            cand --key 'The key of the password in that Secret'
            cand --from-secret 'Take the right password from this Secret''s key, e.g. the Redis server''s own: NS/NAME:KEY'
            cand --password-env 'Take the right password from this environment variable'
            cand --password-file 'Take the right password from this file (one line)'
            cand --redis 'Redis to check the password against before changing anything [default: from aiwfe.yaml, else redis://127.0.0.1:6379]'
            cand --rollout-timeout 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]'
            cand --snapshot 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --playbooks 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --password-stdin 'Read the right password from standard input (one line)'
            cand --move-inline 'Move inline Redis URLs with a password into the Secret (env var reads it by secretKeyRef)'
            cand --dry-run 'Print the plan and stop: nothing is sent to the cluster'
            cand -y 'Apply without asking (needed when stdin is not a terminal)'
            cand --yes 'Apply without asking (needed when stdin is not a terminal)'
            cand --rollback-on-failure 'When a step fails, restore what the run changed before stopping'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;fix;affinity'= {
            cand --deployment 'Only these Deployments (repeatable or comma-separated) [default: every Deployment with Pods Pending on required anti-affinity]'
            cand --weight 'Weight (1-100) each required term gets as a preferred one'
            cand --rollout-timeout 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]'
            cand --snapshot 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --playbooks 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --dry-run 'Print the plan and stop: nothing is sent to the cluster'
            cand -y 'Apply without asking (needed when stdin is not a terminal)'
            cand --yes 'Apply without asking (needed when stdin is not a terminal)'
            cand --rollback-on-failure 'When a step fails, restore what the run changed before stopping'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;fix;help'= {
            cand redis-auth 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
            cand affinity 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;fix;help;redis-auth'= {
        }
        &'aiwfe;fix;help;affinity'= {
        }
        &'aiwfe;fix;help;help'= {
        }
        &'aiwfe;playbook'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'The playbooks there are: built-in ones and those in --playbooks DIR'
            cand show 'Print a playbook''s YAML'
            cand run 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;playbook;list'= {
            cand --playbooks 'Read playbooks from DIR before the built-in ones'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;playbook;show'= {
            cand --playbooks 'Read playbooks from DIR before the built-in ones'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;playbook;run'= {
            cand --set 'A parameter, NAME=VALUE (repeatable; lists as a,b or [a, b])'
            cand --set-env 'A secret parameter from an environment variable, NAME=VAR (repeatable)'
            cand --rollout-timeout 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]'
            cand --snapshot 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --playbooks 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --dry-run 'Print the plan and stop: nothing is sent to the cluster'
            cand -y 'Apply without asking (needed when stdin is not a terminal)'
            cand --yes 'Apply without asking (needed when stdin is not a terminal)'
            cand --rollback-on-failure 'When a step fails, restore what the run changed before stopping'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;playbook;help'= {
            cand list 'The playbooks there are: built-in ones and those in --playbooks DIR'
            cand show 'Print a playbook''s YAML'
            cand run 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;playbook;help;list'= {
        }
        &'aiwfe;playbook;help;show'= {
        }
        &'aiwfe;playbook;help;run'= {
        }
        &'aiwfe;playbook;help;help'= {
        }
        &'aiwfe;tune'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand resources 'Recommend requests and limits from usage history; with --apply, set them'
            cand hpa 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;tune;resources'= {
            cand --deployment 'Only these Deployments (repeatable or comma-separated) [default: every Deployment in the namespace]'
            cand --prometheus 'Read usage history from this Prometheus (cAdvisor''s container metrics) instead of sampling metrics.k8s.io; user:password@ in the URL is sent as basic auth [or AIWFE_PROMETHEUS_URL, or `prometheus.url` in aiwfe.yaml]'
            cand --window 'How much Prometheus history to read, e.g. 7d, 2w, 36h [default: 7d]'
            cand --prometheus-token-file 'A file holding a bearer token for Prometheus [or the token in AIWFE_PROMETHEUS_TOKEN]'
            cand --prometheus-cacert 'PEM CA certificates to verify an https:// Prometheus with, instead of the system''s'
            cand --cacert 'PEM CA certificates to verify an https:// Prometheus with, instead of the system''s'
            cand --sample 'Sample metrics.k8s.io for this long (live clusters without --prometheus; a snapshot holds one sample) [default: 10m]'
            cand --every 'Time between samples [default: 15s]'
            cand --cpu-percentile 'CPU request: this percentile of the samples'
            cand --memory-buffer 'Memory request and limit: the peak working set plus this much, e.g. 15%'
            cand --cpu-limit 'CPU limit: none (remove it), keep, or a factor of the new request such as 2'
            cand --min-samples 'Fewest samples a recommendation may rest on'
            cand --cpu-cost 'Price of one core for an hour, for the monthly cost column'
            cand --memory-cost 'Price of one GiB of memory for an hour'
            cand --rollout-timeout 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]'
            cand --snapshot 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --playbooks 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --apply 'Set the recommended requests and limits (without it, they are shown and nothing is sent)'
            cand --dry-run 'Print the plan and stop: nothing is sent to the cluster'
            cand -y 'Apply without asking (needed when stdin is not a terminal)'
            cand --yes 'Apply without asking (needed when stdin is not a terminal)'
            cand --rollback-on-failure 'When a step fails, restore what the run changed before stopping'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;tune;hpa'= {
            cand --deployment 'The Deployments to autoscale (repeatable or comma-separated)'
            cand --min 'Fewest replicas'
            cand --max 'Most replicas'
            cand --cpu 'Average CPU utilisation to hold, in per cent of the requests'
            cand --rollout-timeout 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]'
            cand --snapshot 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run'
            cand --snapshot-budget 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]'
            cand --playbooks 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --update 'Adjust an HPA that exists already (else it is left as it is)'
            cand --apply 'Make the change (without it, the plan is shown and nothing is sent)'
            cand --dry-run 'Print the plan and stop: nothing is sent to the cluster'
            cand -y 'Apply without asking (needed when stdin is not a terminal)'
            cand --yes 'Apply without asking (needed when stdin is not a terminal)'
            cand --rollback-on-failure 'When a step fails, restore what the run changed before stopping'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;tune;help'= {
            cand resources 'Recommend requests and limits from usage history; with --apply, set them'
            cand hpa 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;tune;help;resources'= {
        }
        &'aiwfe;tune;help;hpa'= {
        }
        &'aiwfe;tune;help;help'= {
        }
        &'aiwfe;history'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --prune 'Delete the in-cluster backup Secrets of every run (their runs can no longer restore Secrets)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;rollback'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --force 'Restore even objects changed since the run (their later changes are lost)'
            cand --dry-run 'Show what would be restored, check it with a server dry run, and stop'
            cand -y 'Restore without asking (needed when stdin is not a terminal)'
            cand --yes 'Restore without asking (needed when stdin is not a terminal)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;help'= {
            cand doctor 'Run every probe in parallel and report what is wrong and how to fix it'
            cand probe 'Run one probe'
            cand completions 'Print a shell completion script, or write all of them with --dir'
            cand man 'Print the man page, or write one per command with --dir'
            cand snapshot 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
            cand rbac 'Print the least-privilege RBAC objects a mode needs'
            cand proxy 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay'
            cand fix 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)'
            cand playbook 'List, show or run the playbooks behind `fix`, and your own'
            cand tune 'Right-size what runs: autoscale Deployments with HPAs'
            cand history 'List the journaled runs of fix and playbook, newest last'
            cand rollback 'Restore what a journaled run changed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;help;doctor'= {
        }
        &'aiwfe;help;probe'= {
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
            cand ws 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
        }
        &'aiwfe;help;probe;redis'= {
        }
        &'aiwfe;help;probe;postgres'= {
        }
        &'aiwfe;help;probe;kube'= {
        }
        &'aiwfe;help;probe;ws'= {
        }
        &'aiwfe;help;completions'= {
        }
        &'aiwfe;help;man'= {
        }
        &'aiwfe;help;snapshot'= {
        }
        &'aiwfe;help;rbac'= {
        }
        &'aiwfe;help;proxy'= {
        }
        &'aiwfe;help;fix'= {
            cand redis-auth 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
            cand affinity 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
        }
        &'aiwfe;help;fix;redis-auth'= {
        }
        &'aiwfe;help;fix;affinity'= {
        }
        &'aiwfe;help;playbook'= {
            cand list 'The playbooks there are: built-in ones and those in --playbooks DIR'
            cand show 'Print a playbook''s YAML'
            cand run 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
        }
        &'aiwfe;help;playbook;list'= {
        }
        &'aiwfe;help;playbook;show'= {
        }
        &'aiwfe;help;playbook;run'= {
        }
        &'aiwfe;help;tune'= {
            cand resources 'Recommend requests and limits from usage history; with --apply, set them'
            cand hpa 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'
        }
        &'aiwfe;help;tune;resources'= {
        }
        &'aiwfe;help;tune;hpa'= {
        }
        &'aiwfe;help;history'= {
        }
        &'aiwfe;help;rollback'= {
        }
        &'aiwfe;help;help'= {
        }
    ]
    $completions[$command]
}

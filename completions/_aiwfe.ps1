
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'aiwfe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'aiwfe'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'aiwfe' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Run every probe in parallel and report what is wrong and how to fix it')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Run one probe')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or write all of them with --dir')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write one per command with --dir')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print the least-privilege RBAC objects a mode needs')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)')
            [CompletionResult]::new('playbook', 'playbook', [CompletionResultType]::ParameterValue, 'List, show or run the playbooks behind `fix`, and your own')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Right-size what runs: autoscale Deployments with HPAs')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the journaled runs of fix and playbook, newest last')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore what a journaled run changed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;doctor' {
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis to check, e.g. redis://:PASSWORD@redis:6379/0')
            [CompletionResult]::new('--postgres', '--postgres', [CompletionResultType]::ParameterName, 'PostgreSQL to check, e.g. postgres://USER:PASSWORD@db/aiwfe')
            [CompletionResult]::new('--ws', '--ws', [CompletionResultType]::ParameterName, 'WebSocket endpoint to check, e.g. wss://app.example.com/ws (token from aiwfe.yaml `ws:` or AIWFE_WS_TOKEN)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these probes (comma-separated: redis,postgres,ws,kube)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip these probes (comma-separated)')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read Kubernetes objects from a file or folder (`kubectl get ... -o yaml`, `aiwfe snapshot`, also `.gz`) instead of a cluster')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;probe' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('redis', 'redis', [CompletionResultType]::ParameterValue, 'Connect, authenticate, measure PING latency and client load')
            [CompletionResult]::new('postgres', 'postgres', [CompletionResultType]::ParameterValue, 'Connect, authenticate, summarise pg_stat_activity and connection headroom')
            [CompletionResult]::new('kube', 'kube', [CompletionResultType]::ParameterValue, 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)')
            [CompletionResult]::new('ws', 'ws', [CompletionResultType]::ParameterValue, 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;probe;redis' {
            [CompletionResult]::new('--pings', '--pings', [CompletionResultType]::ParameterName, 'Number of PINGs for the latency figures')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA(s) in this PEM file for rediss:// instead of the system''s')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;probe;postgres' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;probe;kube' {
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Read Kubernetes objects from a file or folder instead of a cluster')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;probe;ws' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token (visible in the process list: prefer --token-env or --token-file)')
            [CompletionResult]::new('--token-env', '--token-env', [CompletionResultType]::ParameterName, 'Read the token from this environment variable')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the token from this file')
            [CompletionResult]::new('--token-in', '--token-in', [CompletionResultType]::ParameterName, 'Where the token goes [default: header]')
            [CompletionResult]::new('--subprotocol', '--subprotocol', [CompletionResultType]::ParameterName, 'Subprotocol to offer in Sec-WebSocket-Protocol (repeatable)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra request header, e.g. ''Origin: https://app.example.com'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra request header, e.g. ''Origin: https://app.example.com'' (repeatable)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Total connections to open [default: 1]')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Total connections to open [default: 1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'How many connections are open at once [default: 1]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many connections are open at once [default: 1]')
            [CompletionResult]::new('--send', '--send', [CompletionResultType]::ParameterName, 'Text message to send once the connection is open (e.g. an in-band auth message)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Wait for a message containing TEXT; the time from --send to it is the first round-trip')
            [CompletionResult]::new('--ping', '--ping', [CompletionResultType]::ParameterName, 'Ping/pong round trips per connection, for the RTT figures')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA(s) in this PEM file for wss:// instead of the system''s')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Run the same workload against this endpoint too and show both with per-phase ratios')
            [CompletionResult]::new('--hold', '--hold', [CompletionResultType]::ParameterName, 'Keep each connection open this long after the handshake, e.g. 30s (load generation)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'While holding, messages per second each connection sends [default: 0]')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Size in bytes of each message sent while holding [default: 64]')
            [CompletionResult]::new('--warn-after', '--warn-after', [CompletionResultType]::ParameterName, 'Warn when the handshake p95 (DNS to 101, plus --send/--expect) is at least this [default: 1s]')
            [CompletionResult]::new('--error-after', '--error-after', [CompletionResultType]::ParameterName, 'Error when the handshake p95 is at least this [default: 30s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Do not verify the server certificate (testing only)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server certificate (testing only)')
            [CompletionResult]::new('--await-echo', '--await-echo', [CompletionResultType]::ParameterName, 'While holding, send one message, wait for its echo, send the next (closed loop; round-trip percentiles and messages per second)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;probe;help' {
            [CompletionResult]::new('redis', 'redis', [CompletionResultType]::ParameterValue, 'Connect, authenticate, measure PING latency and client load')
            [CompletionResult]::new('postgres', 'postgres', [CompletionResultType]::ParameterValue, 'Connect, authenticate, summarise pg_stat_activity and connection headroom')
            [CompletionResult]::new('kube', 'kube', [CompletionResultType]::ParameterValue, 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)')
            [CompletionResult]::new('ws', 'ws', [CompletionResultType]::ParameterValue, 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;probe;help;redis' {
            break
        }
        'aiwfe;probe;help;postgres' {
            break
        }
        'aiwfe;probe;help;kube' {
            break
        }
        'aiwfe;probe;help;ws' {
            break
        }
        'aiwfe;probe;help;help' {
            break
        }
        'aiwfe;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write the scripts for every shell into DIR instead')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write aiwfe.1 and one page per subcommand (aiwfe-doctor.1, ...) into DIR instead')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;snapshot' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout; `.json` writes JSON, `.gz` compresses (`cluster.json.gz`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'yaml or json [default: from --to''s extension, else yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;rbac' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The mode to grant')
            [CompletionResult]::new('--service-account-namespace', '--service-account-namespace', [CompletionResultType]::ParameterName, 'Namespace of the ServiceAccount bound to the role')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'With --for fix: the namespace fix may write in')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'With --for fix: the namespace fix may write in')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;proxy' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on [default: 0.0.0.0:8080]')
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'Upstream WebSocket server, ws://HOST:PORT or wss://HOST:PORT (the request''s path and query are kept) [or `proxy.upstream` in aiwfe.yaml]')
            [CompletionResult]::new('--jwt-secret-file', '--jwt-secret-file', [CompletionResultType]::ParameterName, 'Verify HS256/384/512 tokens with the secret in FILE')
            [CompletionResult]::new('--jwt-public-key', '--jwt-public-key', [CompletionResultType]::ParameterName, 'Verify RS*/PS*/ES*/EdDSA tokens with the PEM public key in FILE')
            [CompletionResult]::new('--jwks-url', '--jwks-url', [CompletionResultType]::ParameterName, 'Verify tokens with the keys of the JSON Web Key Set at URL (https://, or http:// to localhost), fetched before listening; a token''s `kid` selects the key')
            [CompletionResult]::new('--jwks-cacert', '--jwks-cacert', [CompletionResultType]::ParameterName, 'Verify the JWKS server with the CA certificates in FILE instead of the system''s')
            [CompletionResult]::new('--jwks-refresh', '--jwks-refresh', [CompletionResultType]::ParameterName, 'Fetch the JWKS again this often [default: 5m]')
            [CompletionResult]::new('--jwks-min-refresh', '--jwks-min-refresh', [CompletionResultType]::ParameterName, 'A token with an unknown `kid` fetches the JWKS at most this often [default: 30s]')
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'The one algorithm the key is used with [default: HS256, RS256, ES256 or EdDSA by key type]; with --jwks-url, the algorithms keys may have (comma-separated) [default: the JWK''s `alg`, else by key type]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Require this `iss` claim')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Require this `aud` claim')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed on `exp` and `nbf`, e.g. 30s or 0 [default: 30s]')
            [CompletionResult]::new('--token-from', '--token-from', [CompletionResultType]::ParameterName, 'Where to look for the token, in order (comma-separated) [default: header,query,cookie,subprotocol]')
            [CompletionResult]::new('--cache-size', '--cache-size', [CompletionResultType]::ParameterName, 'Most verified tokens kept in the cache [default: 100000]')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Longest a verified token stays cached (never past its `exp`) [default: 5m]')
            [CompletionResult]::new('--drain', '--drain', [CompletionResultType]::ParameterName, 'On SIGTERM/SIGINT, how long to wait for connections to close [default: 10s]')
            [CompletionResult]::new('--upstream-cacert', '--upstream-cacert', [CompletionResultType]::ParameterName, 'CA certificates (PEM) for a wss:// upstream [default: the system''s]')
            [CompletionResult]::new('--ping-interval', '--ping-interval', [CompletionResultType]::ParameterName, 'Ping a client that has sent nothing for this long; 0: never [default: 20s]')
            [CompletionResult]::new('--ping-timeout', '--ping-timeout', [CompletionResultType]::ParameterName, 'A pinged client that stays silent this long is closed (1011) [default: 10s]')
            [CompletionResult]::new('--close-timeout', '--close-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the other side''s close frame [default: 5s]')
            [CompletionResult]::new('--forward-claims', '--forward-claims', [CompletionResultType]::ParameterName, 'Pass these claims to the upstream as X-Auth-Claim-<name> headers (comma-separated)')
            [CompletionResult]::new('--revocation-redis', '--revocation-redis', [CompletionResultType]::ParameterName, 'Refuse tokens whose `jti` is in a Redis set: redis://[USER:PASSWORD@]HOST[:PORT][/DB]')
            [CompletionResult]::new('--revocation-set', '--revocation-set', [CompletionResultType]::ParameterName, 'The Redis set of revoked `jti` values [default: aiwfe:revoked-jti]')
            [CompletionResult]::new('--revocation-ttl', '--revocation-ttl', [CompletionResultType]::ParameterName, 'How long a revocation answer is cached (how soon a revocation takes effect) [default: 10s]')
            [CompletionResult]::new('--max-message', '--max-message', [CompletionResultType]::ParameterName, 'Largest message either way, e.g. 1MiB or 65536; larger ones close with 1009 [default: 1MiB]')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most proxied connections at once; beyond, upgrades get 503 with Retry-After [default: half the open-file limit, less a reserve]')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose request headers have not come within this long [default: 10s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--revocation-fail-open', '--revocation-fail-open', [CompletionResultType]::ParameterName, 'Let tokens pass when Redis cannot answer [default: refuse with 503]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;fix' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('redis-auth', 'redis-auth', [CompletionResultType]::ParameterValue, 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify')
            [CompletionResult]::new('affinity', 'affinity', [CompletionResultType]::ParameterValue, 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;fix;redis-auth' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The Secret the consumers read the Redis password from')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The key of the password in that Secret')
            [CompletionResult]::new('--from-secret', '--from-secret', [CompletionResultType]::ParameterName, 'Take the right password from this Secret''s key, e.g. the Redis server''s own: NS/NAME:KEY')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Take the right password from this environment variable')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Take the right password from this file (one line)')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis to check the password against before changing anything [default: from aiwfe.yaml, else redis://127.0.0.1:6379]')
            [CompletionResult]::new('--rollout-timeout', '--rollout-timeout', [CompletionResultType]::ParameterName, 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the right password from standard input (one line)')
            [CompletionResult]::new('--move-inline', '--move-inline', [CompletionResultType]::ParameterName, 'Move inline Redis URLs with a password into the Secret (env var reads it by secretKeyRef)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and stop: nothing is sent to the cluster')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, restore what the run changed before stopping')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;fix;affinity' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Only these Deployments (repeatable or comma-separated) [default: every Deployment with Pods Pending on required anti-affinity]')
            [CompletionResult]::new('--weight', '--weight', [CompletionResultType]::ParameterName, 'Weight (1-100) each required term gets as a preferred one')
            [CompletionResult]::new('--rollout-timeout', '--rollout-timeout', [CompletionResultType]::ParameterName, 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and stop: nothing is sent to the cluster')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, restore what the run changed before stopping')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;fix;help' {
            [CompletionResult]::new('redis-auth', 'redis-auth', [CompletionResultType]::ParameterValue, 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify')
            [CompletionResult]::new('affinity', 'affinity', [CompletionResultType]::ParameterValue, 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;fix;help;redis-auth' {
            break
        }
        'aiwfe;fix;help;affinity' {
            break
        }
        'aiwfe;fix;help;help' {
            break
        }
        'aiwfe;playbook' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The playbooks there are: built-in ones and those in --playbooks DIR')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a playbook''s YAML')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a playbook (a name or a FILE) through the same machinery as `fix`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;playbook;list' {
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;playbook;show' {
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;playbook;run' {
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'A parameter, NAME=VALUE (repeatable; lists as a,b or [a, b])')
            [CompletionResult]::new('--set-env', '--set-env', [CompletionResultType]::ParameterName, 'A secret parameter from an environment variable, NAME=VAR (repeatable)')
            [CompletionResult]::new('--rollout-timeout', '--rollout-timeout', [CompletionResultType]::ParameterName, 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and stop: nothing is sent to the cluster')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, restore what the run changed before stopping')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;playbook;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The playbooks there are: built-in ones and those in --playbooks DIR')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a playbook''s YAML')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a playbook (a name or a FILE) through the same machinery as `fix`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;playbook;help;list' {
            break
        }
        'aiwfe;playbook;help;show' {
            break
        }
        'aiwfe;playbook;help;run' {
            break
        }
        'aiwfe;playbook;help;help' {
            break
        }
        'aiwfe;tune' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('resources', 'resources', [CompletionResultType]::ParameterValue, 'Recommend requests and limits from usage history; with --apply, set them')
            [CompletionResult]::new('hpa', 'hpa', [CompletionResultType]::ParameterValue, 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;tune;resources' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Only these Deployments (repeatable or comma-separated) [default: every Deployment in the namespace]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Read usage history from this Prometheus (cAdvisor''s container metrics) instead of sampling metrics.k8s.io; user:password@ in the URL is sent as basic auth [or AIWFE_PROMETHEUS_URL, or `prometheus.url` in aiwfe.yaml]')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'How much Prometheus history to read, e.g. 7d, 2w, 36h [default: 7d]')
            [CompletionResult]::new('--prometheus-token-file', '--prometheus-token-file', [CompletionResultType]::ParameterName, 'A file holding a bearer token for Prometheus [or the token in AIWFE_PROMETHEUS_TOKEN]')
            [CompletionResult]::new('--prometheus-cacert', '--prometheus-cacert', [CompletionResultType]::ParameterName, 'PEM CA certificates to verify an https:// Prometheus with, instead of the system''s')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'PEM CA certificates to verify an https:// Prometheus with, instead of the system''s')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Sample metrics.k8s.io for this long (live clusters without --prometheus; a snapshot holds one sample) [default: 10m]')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Time between samples [default: 15s]')
            [CompletionResult]::new('--cpu-percentile', '--cpu-percentile', [CompletionResultType]::ParameterName, 'CPU request: this percentile of the samples')
            [CompletionResult]::new('--memory-buffer', '--memory-buffer', [CompletionResultType]::ParameterName, 'Memory request and limit: the peak working set plus this much, e.g. 15%')
            [CompletionResult]::new('--cpu-limit', '--cpu-limit', [CompletionResultType]::ParameterName, 'CPU limit: none (remove it), keep, or a factor of the new request such as 2')
            [CompletionResult]::new('--min-samples', '--min-samples', [CompletionResultType]::ParameterName, 'Fewest samples a recommendation may rest on')
            [CompletionResult]::new('--cpu-cost', '--cpu-cost', [CompletionResultType]::ParameterName, 'Price of one core for an hour, for the monthly cost column')
            [CompletionResult]::new('--memory-cost', '--memory-cost', [CompletionResultType]::ParameterName, 'Price of one GiB of memory for an hour')
            [CompletionResult]::new('--rollout-timeout', '--rollout-timeout', [CompletionResultType]::ParameterName, 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Set the recommended requests and limits (without it, they are shown and nothing is sent)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and stop: nothing is sent to the cluster')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, restore what the run changed before stopping')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;tune;hpa' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'The Deployments to autoscale (repeatable or comma-separated)')
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'Fewest replicas')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Most replicas')
            [CompletionResult]::new('--cpu', '--cpu', [CompletionResultType]::ParameterName, 'Average CPU utilisation to hold, in per cent of the requests')
            [CompletionResult]::new('--rollout-timeout', '--rollout-timeout', [CompletionResultType]::ParameterName, 'Longest wait for each rollout [default: the playbook''s, e.g. 5m]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run')
            [CompletionResult]::new('--snapshot-budget', '--snapshot-budget', [CompletionResultType]::ParameterName, 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]')
            [CompletionResult]::new('--playbooks', '--playbooks', [CompletionResultType]::ParameterName, 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Adjust an HPA that exists already (else it is left as it is)')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Make the change (without it, the plan is shown and nothing is sent)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and stop: nothing is sent to the cluster')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a step fails, restore what the run changed before stopping')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;tune;help' {
            [CompletionResult]::new('resources', 'resources', [CompletionResultType]::ParameterValue, 'Recommend requests and limits from usage history; with --apply, set them')
            [CompletionResult]::new('hpa', 'hpa', [CompletionResultType]::ParameterValue, 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;tune;help;resources' {
            break
        }
        'aiwfe;tune;help;hpa' {
            break
        }
        'aiwfe;tune;help;help' {
            break
        }
        'aiwfe;history' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete the in-cluster backup Secrets of every run (their runs can no longer restore Secrets)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;rollback' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace [default: the context''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format on stdout')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity [default: error]')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Restore even objects changed since the run (their later changes are lost)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be restored, check it with a server dry run, and stop')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Restore without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Restore without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; only the exit code (and --report) tell the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aiwfe;help' {
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Run every probe in parallel and report what is wrong and how to fix it')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Run one probe')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or write all of them with --dir')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write one per command with --dir')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print the least-privilege RBAC objects a mode needs')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)')
            [CompletionResult]::new('playbook', 'playbook', [CompletionResultType]::ParameterValue, 'List, show or run the playbooks behind `fix`, and your own')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Right-size what runs: autoscale Deployments with HPAs')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the journaled runs of fix and playbook, newest last')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore what a journaled run changed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aiwfe;help;doctor' {
            break
        }
        'aiwfe;help;probe' {
            [CompletionResult]::new('redis', 'redis', [CompletionResultType]::ParameterValue, 'Connect, authenticate, measure PING latency and client load')
            [CompletionResult]::new('postgres', 'postgres', [CompletionResultType]::ParameterValue, 'Connect, authenticate, summarise pg_stat_activity and connection headroom')
            [CompletionResult]::new('kube', 'kube', [CompletionResultType]::ParameterValue, 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)')
            [CompletionResult]::new('ws', 'ws', [CompletionResultType]::ParameterValue, 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping')
            break
        }
        'aiwfe;help;probe;redis' {
            break
        }
        'aiwfe;help;probe;postgres' {
            break
        }
        'aiwfe;help;probe;kube' {
            break
        }
        'aiwfe;help;probe;ws' {
            break
        }
        'aiwfe;help;completions' {
            break
        }
        'aiwfe;help;man' {
            break
        }
        'aiwfe;help;snapshot' {
            break
        }
        'aiwfe;help;rbac' {
            break
        }
        'aiwfe;help;proxy' {
            break
        }
        'aiwfe;help;fix' {
            [CompletionResult]::new('redis-auth', 'redis-auth', [CompletionResultType]::ParameterValue, 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify')
            [CompletionResult]::new('affinity', 'affinity', [CompletionResultType]::ParameterValue, 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it')
            break
        }
        'aiwfe;help;fix;redis-auth' {
            break
        }
        'aiwfe;help;fix;affinity' {
            break
        }
        'aiwfe;help;playbook' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The playbooks there are: built-in ones and those in --playbooks DIR')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a playbook''s YAML')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a playbook (a name or a FILE) through the same machinery as `fix`')
            break
        }
        'aiwfe;help;playbook;list' {
            break
        }
        'aiwfe;help;playbook;show' {
            break
        }
        'aiwfe;help;playbook;run' {
            break
        }
        'aiwfe;help;tune' {
            [CompletionResult]::new('resources', 'resources', [CompletionResultType]::ParameterValue, 'Recommend requests and limits from usage history; with --apply, set them')
            [CompletionResult]::new('hpa', 'hpa', [CompletionResultType]::ParameterValue, 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments')
            break
        }
        'aiwfe;help;tune;resources' {
            break
        }
        'aiwfe;help;tune;hpa' {
            break
        }
        'aiwfe;help;history' {
            break
        }
        'aiwfe;help;rollback' {
            break
        }
        'aiwfe;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

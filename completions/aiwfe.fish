# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aiwfe_global_optspecs
    string join \n config= o/output= report= fail-on= ignore= timeout= no-color q/quiet v/verbose h/help V/version
end

function __fish_aiwfe_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aiwfe_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aiwfe_using_subcommand
    set -l cmd (__fish_aiwfe_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aiwfe -n "__fish_aiwfe_needs_command" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_needs_command" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_needs_command" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_needs_command" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_needs_command" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_needs_command" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_needs_command" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -s V -l version -d 'Print version'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "doctor" -d 'Run every probe in parallel and report what is wrong and how to fix it'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "probe" -d 'Run one probe'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "completions" -d 'Print a shell completion script, or write all of them with --dir'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "man" -d 'Print the man page, or write one per command with --dir'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "snapshot" -d 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "rbac" -d 'Print the least-privilege RBAC objects a mode needs'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "proxy" -d 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "fix" -d 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "playbook" -d 'List, show or run the playbooks behind `fix`, and your own'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "tune" -d 'Right-size what runs: autoscale Deployments with HPAs'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "history" -d 'List the journaled runs of fix and playbook, newest last'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "rollback" -d 'Restore what a journaled run changed'
complete -c aiwfe -n "__fish_aiwfe_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l redis -d 'Redis to check, e.g. redis://:PASSWORD@redis:6379/0' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l postgres -d 'PostgreSQL to check, e.g. postgres://USER:PASSWORD@db/aiwfe' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l ws -d 'WebSocket endpoint to check, e.g. wss://app.example.com/ws (token from aiwfe.yaml `ws:` or AIWFE_WS_TOKEN)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l only -d 'Run only these probes (comma-separated: redis,postgres,ws,kube)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l skip -d 'Skip these probes (comma-separated)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l snapshot -d 'Read Kubernetes objects from a file or folder (`kubectl get ... -o yaml`, `aiwfe snapshot`, also `.gz`) instead of a cluster' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -f -a "redis" -d 'Connect, authenticate, measure PING latency and client load'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -f -a "postgres" -d 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -f -a "kube" -d 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -f -a "ws" -d 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and not __fish_seen_subcommand_from redis postgres kube ws help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l pings -d 'Number of PINGs for the latency figures' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l cacert -d 'Trust the CA(s) in this PEM file for rediss:// instead of the system\'s' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from redis" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from postgres" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l snapshot -d 'Read Kubernetes objects from a file or folder instead of a cluster' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from kube" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l token -d 'Bearer token (visible in the process list: prefer --token-env or --token-file)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l token-env -d 'Read the token from this environment variable' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l token-file -d 'Read the token from this file' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l token-in -d 'Where the token goes [default: header]' -r -f -a "header\t'`Authorization: Bearer TOKEN`'
query\t'`?access_token=TOKEN`'
cookie\t'`Cookie: access_token=TOKEN`'
subprotocol\t'`Sec-WebSocket-Protocol: bearer, TOKEN` (what browsers can do)'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l subprotocol -d 'Subprotocol to offer in Sec-WebSocket-Protocol (repeatable)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s H -l header -d 'Extra request header, e.g. \'Origin: https://app.example.com\' (repeatable)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s n -l connections -d 'Total connections to open [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s c -l concurrency -d 'How many connections are open at once [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l send -d 'Text message to send once the connection is open (e.g. an in-band auth message)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l expect -d 'Wait for a message containing TEXT; the time from --send to it is the first round-trip' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l ping -d 'Ping/pong round trips per connection, for the RTT figures' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l cacert -d 'Trust the CA(s) in this PEM file for wss:// instead of the system\'s' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l compare -d 'Run the same workload against this endpoint too and show both with per-phase ratios' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l hold -d 'Keep each connection open this long after the handshake, e.g. 30s (load generation)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l rate -d 'While holding, messages per second each connection sends [default: 0]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l size -d 'Size in bytes of each message sent while holding [default: 64]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l warn-after -d 'Warn when the handshake p95 (DNS to 101, plus --send/--expect) is at least this [default: 1s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l error-after -d 'Error when the handshake p95 is at least this [default: 30s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s k -l insecure -d 'Do not verify the server certificate (testing only)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l await-echo -d 'While holding, send one message, wait for its echo, send the next (closed loop; round-trip percentiles and messages per second)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from ws" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "redis" -d 'Connect, authenticate, measure PING latency and client load'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "postgres" -d 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "kube" -d 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "ws" -d 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l dir -d 'Write the scripts for every shell into DIR instead' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l dir -d 'Write aiwfe.1 and one page per subcommand (aiwfe-doctor.1, ...) into DIR instead' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l to -d 'Write to FILE instead of stdout; `.json` writes JSON, `.gz` compresses (`cluster.json.gz`)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l format -d 'yaml or json [default: from --to\'s extension, else yaml]' -r -f -a "yaml\t''
json\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand snapshot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l for -d 'The mode to grant' -r -f -a "doctor\t''
fix\t'What `aiwfe fix` writes, on top of what doctor reads'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l service-account-namespace -d 'Namespace of the ServiceAccount bound to the role' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -s n -l namespace -d 'With --for fix: the namespace fix may write in' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rbac" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l listen -d 'Address to listen on [default: 0.0.0.0:8080]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l upstream -d 'Upstream WebSocket server, ws://HOST:PORT or wss://HOST:PORT (the request\'s path and query are kept) [or `proxy.upstream` in aiwfe.yaml]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwt-secret-file -d 'Verify HS256/384/512 tokens with the secret in FILE' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwt-public-key -d 'Verify RS*/PS*/ES*/EdDSA tokens with the PEM public key in FILE' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwks-url -d 'Verify tokens with the keys of the JSON Web Key Set at URL (https://, or http:// to localhost), fetched before listening; a token\'s `kid` selects the key' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwks-cacert -d 'Verify the JWKS server with the CA certificates in FILE instead of the system\'s' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwks-refresh -d 'Fetch the JWKS again this often [default: 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l jwks-min-refresh -d 'A token with an unknown `kid` fetches the JWKS at most this often [default: 30s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l algorithm -d 'The one algorithm the key is used with [default: HS256, RS256, ES256 or EdDSA by key type]; with --jwks-url, the algorithms keys may have (comma-separated) [default: the JWK\'s `alg`, else by key type]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l issuer -d 'Require this `iss` claim' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l audience -d 'Require this `aud` claim' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l leeway -d 'Clock skew allowed on `exp` and `nbf`, e.g. 30s or 0 [default: 30s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l token-from -d 'Where to look for the token, in order (comma-separated) [default: header,query,cookie,subprotocol]' -r -f -a "header\t'`Authorization: Bearer TOKEN`'
query\t'`?access_token=TOKEN`'
cookie\t'`Cookie: access_token=TOKEN`'
subprotocol\t'`Sec-WebSocket-Protocol: bearer, TOKEN` (what browsers can do)'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l cache-size -d 'Most verified tokens kept in the cache [default: 100000]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l cache-ttl -d 'Longest a verified token stays cached (never past its `exp`) [default: 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l drain -d 'On SIGTERM/SIGINT, how long to wait for connections to close [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l upstream-cacert -d 'CA certificates (PEM) for a wss:// upstream [default: the system\'s]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l ping-interval -d 'Ping a client that has sent nothing for this long; 0: never [default: 20s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l ping-timeout -d 'A pinged client that stays silent this long is closed (1011) [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l close-timeout -d 'How long to wait for the other side\'s close frame [default: 5s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l forward-claims -d 'Pass these claims to the upstream as X-Auth-Claim-<name> headers (comma-separated)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l revocation-redis -d 'Refuse tokens whose `jti` is in a Redis set: redis://[USER:PASSWORD@]HOST[:PORT][/DB]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l revocation-set -d 'The Redis set of revoked `jti` values [default: aiwfe:revoked-jti]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l revocation-ttl -d 'How long a revocation answer is cached (how soon a revocation takes effect) [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l max-message -d 'Largest message either way, e.g. 1MiB or 65536; larger ones close with 1009 [default: 1MiB]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l max-connections -d 'Most proxied connections at once; beyond, upgrades get 503 with Retry-After [default: half the open-file limit, less a reserve]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l header-timeout -d 'Close a connection whose request headers have not come within this long [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l revocation-fail-open -d 'Let tokens pass when Redis cannot answer [default: refuse with 503]'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -f -a "redis-auth" -d 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -f -a "affinity" -d 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and not __fish_seen_subcommand_from redis-auth affinity help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l secret -d 'The Secret the consumers read the Redis password from' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l key -d 'The key of the password in that Secret' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l from-secret -d 'Take the right password from this Secret\'s key, e.g. the Redis server\'s own: NS/NAME:KEY' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l password-env -d 'Take the right password from this environment variable' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l password-file -d 'Take the right password from this file (one line)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l redis -d 'Redis to check the password against before changing anything [default: from aiwfe.yaml, else redis://127.0.0.1:6379]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l rollout-timeout -d 'Longest wait for each rollout [default: the playbook\'s, e.g. 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l snapshot -d 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l playbooks -d 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l password-stdin -d 'Read the right password from standard input (one line)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l move-inline -d 'Move inline Redis URLs with a password into the Secret (env var reads it by secretKeyRef)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l dry-run -d 'Print the plan and stop: nothing is sent to the cluster'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l rollback-on-failure -d 'When a step fails, restore what the run changed before stopping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from redis-auth" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l deployment -d 'Only these Deployments (repeatable or comma-separated) [default: every Deployment with Pods Pending on required anti-affinity]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l weight -d 'Weight (1-100) each required term gets as a preferred one' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l rollout-timeout -d 'Longest wait for each rollout [default: the playbook\'s, e.g. 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l snapshot -d 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l playbooks -d 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l dry-run -d 'Print the plan and stop: nothing is sent to the cluster'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l rollback-on-failure -d 'When a step fails, restore what the run changed before stopping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from affinity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from help" -f -a "redis-auth" -d 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from help" -f -a "affinity" -d 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand fix; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -f -a "list" -d 'The playbooks there are: built-in ones and those in --playbooks DIR'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -f -a "show" -d 'Print a playbook\'s YAML'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -f -a "run" -d 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and not __fish_seen_subcommand_from list show run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l playbooks -d 'Read playbooks from DIR before the built-in ones' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l playbooks -d 'Read playbooks from DIR before the built-in ones' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l set -d 'A parameter, NAME=VALUE (repeatable; lists as a,b or [a, b])' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l set-env -d 'A secret parameter from an environment variable, NAME=VAR (repeatable)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l rollout-timeout -d 'Longest wait for each rollout [default: the playbook\'s, e.g. 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l snapshot -d 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l playbooks -d 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l dry-run -d 'Print the plan and stop: nothing is sent to the cluster'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l rollback-on-failure -d 'When a step fails, restore what the run changed before stopping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "list" -d 'The playbooks there are: built-in ones and those in --playbooks DIR'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a playbook\'s YAML'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand playbook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -f -a "resources" -d 'Recommend requests and limits from usage history; with --apply, set them'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -f -a "hpa" -d 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and not __fish_seen_subcommand_from resources hpa help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l deployment -d 'Only these Deployments (repeatable or comma-separated) [default: every Deployment in the namespace]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l prometheus -d 'Read usage history from this Prometheus (cAdvisor\'s container metrics) instead of sampling metrics.k8s.io; user:password@ in the URL is sent as basic auth [or AIWFE_PROMETHEUS_URL, or `prometheus.url` in aiwfe.yaml]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l window -d 'How much Prometheus history to read, e.g. 7d, 2w, 36h [default: 7d]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l prometheus-token-file -d 'A file holding a bearer token for Prometheus [or the token in AIWFE_PROMETHEUS_TOKEN]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l prometheus-cacert -l cacert -d 'PEM CA certificates to verify an https:// Prometheus with, instead of the system\'s' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l sample -d 'Sample metrics.k8s.io for this long (live clusters without --prometheus; a snapshot holds one sample) [default: 10m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l every -d 'Time between samples [default: 15s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l cpu-percentile -d 'CPU request: this percentile of the samples' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l memory-buffer -d 'Memory request and limit: the peak working set plus this much, e.g. 15%' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l cpu-limit -d 'CPU limit: none (remove it), keep, or a factor of the new request such as 2' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l min-samples -d 'Fewest samples a recommendation may rest on' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l cpu-cost -d 'Price of one core for an hour, for the monthly cost column' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l memory-cost -d 'Price of one GiB of memory for an hour' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l rollout-timeout -d 'Longest wait for each rollout [default: the playbook\'s, e.g. 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l snapshot -d 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l playbooks -d 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l apply -d 'Set the recommended requests and limits (without it, they are shown and nothing is sent)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l dry-run -d 'Print the plan and stop: nothing is sent to the cluster'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l rollback-on-failure -d 'When a step fails, restore what the run changed before stopping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from resources" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l deployment -d 'The Deployments to autoscale (repeatable or comma-separated)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l min -d 'Fewest replicas' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l max -d 'Most replicas' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l cpu -d 'Average CPU utilisation to hold, in per cent of the requests' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l rollout-timeout -d 'Longest wait for each rollout [default: the playbook\'s, e.g. 5m]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l snapshot -d 'Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l snapshot-budget -d 'Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N [default: 1]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l playbooks -d 'Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l update -d 'Adjust an HPA that exists already (else it is left as it is)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l apply -d 'Make the change (without it, the plan is shown and nothing is sent)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l dry-run -d 'Print the plan and stop: nothing is sent to the cluster'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l rollback-on-failure -d 'When a step fails, restore what the run changed before stopping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from hpa" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from help" -f -a "resources" -d 'Recommend requests and limits from usage history; with --apply, set them'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from help" -f -a "hpa" -d 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand tune; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l prune -d 'Delete the in-cluster backup Secrets of every run (their runs can no longer restore Secrets)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l context -d 'Kubeconfig context to use' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s n -l namespace -d 'Kubernetes namespace [default: the context\'s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l config -d 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s o -l output -d 'Output format on stdout' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''
sarif\t''
markdown\t''"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l report -d 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)' -r -F
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l fail-on -d 'Exit 1 when a finding is at or above this severity [default: error]' -r -f -a "info\t''
warning\t''
error\t''
never\t'Never fail the gate: exit 0 whatever is found'"
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l ignore -d 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l timeout -d 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]' -r
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l force -d 'Restore even objects changed since the run (their later changes are lost)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l dry-run -d 'Show what would be restored, check it with a server dry run, and stop'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s y -l yes -d 'Restore without asking (needed when stdin is not a terminal)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s A -l all-namespaces -d 'Every namespace'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -l no-color -d 'No colours (also when NO_COLOR is set)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s q -l quiet -d 'Print nothing on stdout; only the exit code (and --report) tell the result'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s v -l verbose -d 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "doctor" -d 'Run every probe in parallel and report what is wrong and how to fix it'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "probe" -d 'Run one probe'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "completions" -d 'Print a shell completion script, or write all of them with --dir'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "man" -d 'Print the man page, or write one per command with --dir'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "snapshot" -d 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "rbac" -d 'Print the least-privilege RBAC objects a mode needs'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "proxy" -d 'Run the fast-auth WebSocket reverse proxy: verify each token once, then relay'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "fix" -d 'Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "playbook" -d 'List, show or run the playbooks behind `fix`, and your own'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "tune" -d 'Right-size what runs: autoscale Deployments with HPAs'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "history" -d 'List the journaled runs of fix and playbook, newest last'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "rollback" -d 'Restore what a journaled run changed'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and not __fish_seen_subcommand_from doctor probe completions man snapshot rbac proxy fix playbook tune history rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from probe" -f -a "redis" -d 'Connect, authenticate, measure PING latency and client load'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from probe" -f -a "postgres" -d 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from probe" -f -a "kube" -d 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from probe" -f -a "ws" -d 'Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from fix" -f -a "redis-auth" -d 'Give every consumer of the Redis password the one Redis accepts; restart, wait, verify'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from fix" -f -a "affinity" -d 'Make required pod anti-affinity preferred for Deployments whose pods are Pending on it'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "list" -d 'The playbooks there are: built-in ones and those in --playbooks DIR'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "show" -d 'Print a playbook\'s YAML'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from playbook" -f -a "run" -d 'Run a playbook (a name or a FILE) through the same machinery as `fix`'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from tune" -f -a "resources" -d 'Recommend requests and limits from usage history; with --apply, set them'
complete -c aiwfe -n "__fish_aiwfe_using_subcommand help; and __fish_seen_subcommand_from tune" -f -a "hpa" -d 'Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments'

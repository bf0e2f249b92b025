using System.Globalization;
using System.Text;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <summary>
/// The executable a program calls in place of the one a side-car runs (e.g. bind-mounted over
/// <c>/usr/local/bin/dnsmasq</c> in an agent's container). A POSIX shell script that needs nothing but the state folder
/// and the shell's usual tools (<c>od</c>, <c>tr</c>, <c>ls</c>, <c>date</c>, <c>mv</c>, <c>touch</c>, <c>cat</c>,
/// <c>sleep</c>): no podman and no podwake where it runs.
/// </summary>
/// <remarks>
/// A call is one file: every argument and recorded variable hex-encoded (so spaces, quotes, <c>$</c> and newlines are
/// data, never shell syntax or a line of the format), written under a random name and renamed into <c>calls/</c> in
/// whole. The rename is what makes concurrent calls safe without a lock in the caller (a container may have no
/// flock(1)): a reader sees a whole call or none, and sync, which holds the folder's flock, is the only one that turns
/// calls into the list. The key is derived by sync, not here: a regular expression with a capture group is not
/// something a POSIX shell can apply, and one place deciding keys cannot disagree with itself. The wrapper records
/// the inode of its network namespace, which sync matches against <c>/run/netns</c>.
/// </remarks>
internal static class WrapperScript
{
    /// <summary>The script's second line; a file at the wrapper's path is podwake's (and may be replaced) only when it has it.</summary>
    public const string Marker = "# podwake side-car wrapper";

    /// <summary>The wrapper's exit code when podwake could not run the call (as podman run's 125: the runner failed, not the program).</summary>
    public const int FailureExitCode = 125;

    public static string Render(ServiceSpec spec, SidecarPaths paths)
    {
        var sidecar = spec.Sidecar ?? throw new ArgumentException($"service {spec.Name} has no sidecar: section", nameof(spec));
        var recorded = sidecar.PassEnv.ToList();
        if (sidecar.Key is { Kind: SidecarKeyKind.Env, Variable: { } keyVariable } && !recorded.Contains(keyVariable, StringComparer.Ordinal))
        {
            recorded.Add(keyVariable);
        }

        var env = new StringBuilder();
        foreach (var name in recorded)
        {
            // Names are checked by the parser ([A-Za-z_][A-Za-z0-9_]*): safe to write into the script as they are.
            env.Append(CultureInfo.InvariantCulture, $"  if [ \"${{{name}+set}}\" = set ]; then printf 'env {name} %s\\n' \"$(hex \"${name}\")\"; fi\n");
        }

        var seconds = (long)Math.Ceiling(sidecar.Timeout.TotalSeconds);
        return $$"""
            #!/bin/sh
            {{Marker}} for service {{spec.Name}}; written by podwake deploy or serve, do not edit.
            # Each call is recorded in the service's state folder; podwake runs it in a container of its own, one per key
            # (podwake sidecar list {{spec.Name}}). Exit 0 once the container runs; {{FailureExitCode}} when podwake could not run it.
            set -u
            state={{Quote(paths.Directory)}}
            service={{Quote(spec.Name)}}
            timeout={{seconds.ToString(CultureInfo.InvariantCulture)}}
            foreground={{(sidecar.Foreground ? 1 : 0)}}
            if [ "${PODWAKE_FOREGROUND:-}" = 1 ]; then foreground=1; fi

            fail() { echo "$service: $*" >&2; exit {{FailureExitCode}}; }
            hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

            [ -d "$state/calls" ] || fail "the state folder $state/calls is missing: is the service deployed or served (podwake deploy or podwake serve)?"
            id=$(od -An -N8 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
            [ -n "$id" ] || id="$$-$(date +%s)"
            netns=
            for word in $(ls -iL /proc/self/ns/net 2>/dev/null); do netns=$word; break; done
            tmp="$state/calls/.$id.tmp"
            {
              echo 'podwake-sidecar-call 1'
              echo "id $id"
              echo "time $(date +%s)"
              echo "netns $netns"
              echo "foreground $foreground"
              for a in "$@"; do printf 'arg %s\n' "$(hex "$a")"; done
            {{env}}  echo end
            } > "$tmp" || fail "cannot write a call into $state/calls"
            mv -f "$tmp" "$state/calls/$id.call" || { rm -f "$tmp"; fail "cannot write a call into $state/calls"; }
            touch "$state/timestamp" 2>/dev/null

            status="$state/status/$id"
            # Whole seconds: one more, so a call waits at least its timeout (it gave up up to 1 s early).
            deadline=$(( $(date +%s) + timeout + 1 ))
            # Polls often while a container usually starts (25 ms for half a second, then 50 ms for a second), then every
            # 200 ms, and reads the clock every 5th turn: a flood of callers waiting must not be a fork storm of its own.
            turn=0
            while :; do
              if [ -f "$status" ]; then
                word=; code=
                read -r word code < "$status" || :
                case $word in
                  running)
                    if [ "$foreground" = 0 ]; then rm -f "$status"; exit 0; fi
                    deadline= ;;
                  exited)
                    cat "$status.out" 2>/dev/null
                    cat "$status.err" >&2 2>/dev/null
                    rm -f "$status" "$status.out" "$status.err"
                    exit "${code:-{{FailureExitCode}}}" ;;
                  failed)
                    { read -r word; printf '%s: ' "$service"; cat; } < "$status" >&2
                    rm -f "$status"
                    exit {{FailureExitCode}} ;;
                esac
              fi
              turn=$((turn + 1))
              if [ -n "$deadline" ] && [ $((turn % 5)) = 0 ] && [ "$(date +%s)" -ge "$deadline" ]; then
                if rm "$state/calls/$id.call" 2>/dev/null; then
                  fail "podwake did not take the call within ${timeout}s (withdrawn): is podwake serve running it, or podwake-$service-sidecar.path active (podwake deploy)?"
                fi
                fail "the container did not run within ${timeout}s (podwake sidecar list $service)"
              fi
              if [ "$turn" -le 20 ]; then nap=0.025; elif [ "$turn" -le 40 ]; then nap=0.05; else nap=0.2; fi
              sleep "$nap" 2>/dev/null || sleep 1
            done

            """;
    }

    /// <summary>A single-quoted shell word.</summary>
    internal static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Globalization;
using Podwake.Control;
using Podwake.Host;
using Podwake.Specs;
using Podwake.Units;
using Podwake.Updates;

namespace Podwake.Deploy;

/// <summary>
/// Hands the update of an awake deployed service to its activator (<c>podwake activate</c>, through its control socket
/// in the service user's runtime directory): only the process that holds the connections can start the new container
/// beside the old one, send it the new connections and let the old ones drain.
/// </summary>
internal static class RunningHandover
{
    /// <summary>How long an activator that systemd is starting gets to open its control socket.</summary>
    private static readonly TimeSpan SocketWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where an activator listens for the update it is handed: a control socket of its own, in a directory of its own,
    /// apart from the one <c>podwake status</c> reads and <c>podwake update</c> asks every serve through (an activator
    /// asked there answers with nothing): only this handover, after the check and the pull, may start it.
    /// </summary>
    public static RuntimePaths ControlPaths(RuntimePaths user, string service) => new(Path.Combine(user.Directory, "updates", service));

    /// <summary>The activator's result for the service; null when no activator answered (<paramref name="unanswered"/> says why).</summary>
    public static async Task<UpdateResult?> RequestAsync(ServiceSpec spec, DeployTarget target, Action<string> unanswered, CancellationToken cancellationToken)
    {
        var activator = UnitGenerator.ActivatorUnitName(spec.Name);
        var paths = ControlPaths(LastUpdateRecord.PathsOf(target), spec.Name);
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(50);
        string? socket = null;
        while (waited < SocketWait)
        {
            var shown = await target.Systemctl.RunAsync(["show", "--property=MainPID", "--value", activator], cancellationToken).ConfigureAwait(false);
            if (int.TryParse(shown.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 && File.Exists(paths.ControlSocket(pid)))
            {
                socket = paths.ControlSocket(pid);
                break;
            }

            if (await target.Systemctl.ActiveStateAsync(activator, cancellationToken).ConfigureAwait(false) is "inactive" or "failed")
            {
                unanswered($"{activator} stopped");
                return null;
            }

            // The system clock on purpose: a CLI's bounded wait for another process, no runtime's clock.
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            waited += pause;
        }

        if (socket is null)
        {
            unanswered($"{activator} opened no update socket in {paths.Directory} within {SocketWait.TotalSeconds:0} s");
            return null;
        }

        var report = await UpdateClient.RequestAsync(socket, new UpdateRequest([spec.Name], DryRun: false), (_, why) => unanswered(why), cancellationToken).ConfigureAwait(false);
        return report?.Results.FirstOrDefault(r => r.Service == spec.Name);
    }
}

using Podwake.Host;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Keeps <c>podwake-update.timer</c> and its service in a manager exactly while one of the manager's deployed services
/// has <c>update:</c> set: deploy and undeploy call <see cref="SyncAsync"/> for each manager they touched. The timer
/// runs <c>podwake update</c> as the manager's user (root: every deployed service; a run_as: service their own, with their own
/// registry credentials).
/// </summary>
/// <remarks>
/// The interval stays what it was unless deploy is given one (<c>--update-interval</c>): a redeploy of another file
/// does not reset it to daily.
/// </remarks>
internal static class UpdateTimer
{
    /// <param name="interval">The interval deploy was given; null: keep the installed one, daily for a new timer.</param>
    public static async Task SyncAsync(DeployTarget target, UnitGeneratorOptions options, TimeSpan? interval, TextWriter output, CancellationToken cancellationToken)
    {
        var manager = target.Manager;
        var systemctl = target.Systemctl;
        var owner = target.User;
        var installed = HostFiles.Exists(Path.Combine(manager.UnitDirectory, UnitGenerator.UpdateTimerName), owner);
        if (!Wanted(manager.ConfigDirectory))
        {
            if (installed)
            {
                await ManagerUnits.RemoveAsync(target, UnitGenerator.UpdateTimerName, [UnitGenerator.UpdateTimerName, UnitGenerator.UpdateServiceName], cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{UnitGenerator.UpdateTimerName}: removed from {target.Describe()} (no service there has update: set)").ConfigureAwait(false);
            }

            return;
        }

        // An installed timer keeps its interval unless one is given.
        var units = UnitGenerator.GenerateUpdateTimer(options, interval).Where(unit => !(unit.Name == UnitGenerator.UpdateTimerName && interval is null && installed));
        var changed = (await ManagerUnits.WriteChangedAsync(target, units, cancellationToken).ConfigureAwait(false)).Count > 0;
        var enabled = await systemctl.RunAsync(["enable", "--now", UnitGenerator.UpdateTimerName], cancellationToken).ConfigureAwait(false);
        enabled.ThrowIfFailed($"enable {UnitGenerator.UpdateTimerName}");
        if (changed || !installed)
        {
            var every = interval is { } given && given != UnitGenerator.DefaultUpdateInterval ? $"every {Duration.Format(given)}" : interval is null && installed ? "interval kept" : "daily";
            await output.WriteLineAsync($"{UnitGenerator.UpdateTimerName}: installed into {target.Describe()} ({every}; runs podwake update)").ConfigureAwait(false);
        }
    }

    /// <summary>A spec copy in the manager's configuration directory with <c>update:</c> set.</summary>
    private static bool Wanted(string configDirectory)
    {
        var directory = SpecCopy.Directory(configDirectory);
        return Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.yaml").Any(file =>
            SpecLoader.Load([file]) is { Succeeded: true } loaded && loaded.Services.Any(s => s.Update != UpdatePolicy.None));
    }
}
